//! Text members of archives (and gzip streams) as [`Item::Text`] pieces.

use std::io::Read;

use super::csv::ungzip;
use super::{Emitter, Flow, Item, io_error};
use crate::chunk::TextSource;
use crate::decode::TextDecoder;
use crate::open::SNIFF;

/// Decodes `reader` (gzip undone, encoding detected) and sends its text in pieces of about
/// [`text_piece_bytes`](super::StructuredOptions::text_piece_bytes), cut after a line end
/// where there is one. Binary content is skipped silently.
pub(super) fn read(em: &mut Emitter<'_>, name: &str, reader: Box<dyn Read + '_>) -> Flow {
    let reader = ungzip(name, reader)?;
    let mut decoder =
        TextDecoder::new(reader, em.opts.encoding, SNIFF).map_err(|e| io_error(name, e))?;
    let sniff = &decoder.prefix()[..decoder.prefix().len().min(SNIFF)];
    if crate::open::binary_kind_of(sniff).is_some() {
        return Ok(());
    }
    let piece = em.opts.text_piece_bytes.max(16);
    let mut buf = String::new();
    loop {
        let done = decoder
            .fill(&mut buf, piece)
            .map_err(|e| io_error(name, e))?;
        if done {
            if !buf.is_empty() {
                em.emit(Item::Text(buf))?;
            }
            return Ok(());
        }
        // Cut after the last line end in the second half, else at the end.
        let cut = match memchr::memrchr(b'\n', buf.as_bytes()) {
            Some(i) if i + 1 >= buf.len() / 2 => i + 1,
            _ => buf.len(),
        };
        let rest = buf[cut..].to_string();
        buf.truncate(cut);
        em.emit(Item::Text(std::mem::replace(&mut buf, rest)))?;
    }
}
