//! PDF documents: the text of each page as an [`Item::Text`], through `pdf-extract` (which
//! maps CJK fonts through their ToUnicode CMaps).
//!
//! The whole file is held in memory (from disk, or buffered up to the limit inside an
//! archive). The parser runs under `catch_unwind`: PDF parsers panic on some malformed
//! files, and such a file gives a clear error instead.

use super::{Emitter, Flow, Item, guarded, malformed};

pub(super) fn read(em: &mut Emitter<'_>, name: &str, bytes: &[u8]) -> Flow {
    let pages = guarded(name, "PDF", || {
        pdf_extract::extract_text_from_mem_by_pages(bytes).map_err(|e| {
            let msg = e.to_string();
            let lower = msg.to_lowercase();
            if lower.contains("encrypt") || lower.contains("password") || lower.contains("decrypt")
            {
                malformed(
                    name,
                    "PDF",
                    format!("encrypted, cannot be read without the password ({msg})"),
                )
            } else {
                malformed(name, "PDF", msg)
            }
        })
    })?;
    let mut any = false;
    for page in pages {
        if !page.trim().is_empty() {
            any = true;
            em.emit(Item::Text(page))?;
        }
    }
    if !any {
        em.error(malformed(
            name,
            "PDF",
            "no text found (a scanned image, or fonts without a text mapping)",
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::FileFormat;
    use super::super::testutil::run;

    #[test]
    fn garbage_and_truncated_pdfs_are_errors() {
        let (_, r) = run(b"%PDF-1.4\ngarbage", FileFormat::Pdf);
        assert!(r.unwrap_err().to_string().contains("PDF"));
        let (_, r) = run(b"", FileFormat::Pdf);
        assert!(r.is_err());
    }
}
