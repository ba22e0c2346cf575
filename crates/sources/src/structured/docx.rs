//! Stub.
#![allow(unused)]
use super::*;
pub(super) fn read(em: &mut Emitter<'_>, name: &str, rs: Box<dyn ReadSeek>) -> Flow {
    Ok(())
}
