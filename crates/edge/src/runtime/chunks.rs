//! A request body read chunk by chunk as the platform's own `Uint8Array`s.
//!
//! `worker::ByteStream` copies each chunk into a fresh `Vec` in wasm memory before the
//! reader sees it, so a reader that keeps a bounded amount still has each whole chunk —
//! as large as the platform cares to make it — allocated in memory that never shrinks.
//! Here a chunk stays on the JS side until the reader copies out what it wants: all of
//! it into a buffer it has budgeted for ([`super::incoming::bytes_bounded`]), or a slice
//! at a time into a small fixed buffer to hash ([`copy_slices`]). Dropping the reader
//! cancels the rest of the stream (the upload is not read further).

use worker::js_sys::{Reflect, Uint8Array};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::worker_sys::web_sys::{ReadableStream, ReadableStreamDefaultReader};

/// Bytes copied into wasm at a time when a body is hashed as it streams.
pub const HASH_SLICE_BYTES: usize = 16 * 1024;

/// The chunks of one body stream.
pub struct Chunks {
    reader: ReadableStreamDefaultReader,
    done: bool,
}

impl Chunks {
    /// Locks `stream` for reading.
    pub fn new(stream: &ReadableStream) -> Result<Self, JsValue> {
        Ok(Chunks {
            reader: ReadableStreamDefaultReader::new(stream)?,
            done: false,
        })
    }

    /// The next chunk, `None` at the end of the body; an error when the stream fails
    /// (the client went away mid-body).
    pub async fn next(&mut self) -> Result<Option<Uint8Array>, JsValue> {
        if self.done {
            return Ok(None);
        }
        let result = JsFuture::from(self.reader.read()).await?;
        if Reflect::get(&result, &JsValue::from_str("done"))?.as_bool() != Some(false) {
            self.done = true;
            return Ok(None);
        }
        Reflect::get(&result, &JsValue::from_str("value"))?
            .dyn_into::<Uint8Array>()
            .map(Some)
            .map_err(|v| {
                JsValue::from_str(&alloc::format!("a body chunk that is not bytes: {v:?}"))
            })
    }
}

impl Drop for Chunks {
    fn drop(&mut self) {
        if !self.done {
            // The rest of the upload is not wanted; the promise is left to settle.
            let _ = self.reader.cancel();
        }
    }
}

/// Hands `chunk` to `sink` [`HASH_SLICE_BYTES`] at a time through `buf`.
pub fn copy_slices(chunk: &Uint8Array, buf: &mut [u8], mut sink: impl FnMut(&[u8])) {
    let len = chunk.length();
    let step = buf.len() as u32;
    let mut at = 0;
    while at < len {
        let end = len.min(at + step);
        let part = &mut buf[..(end - at) as usize];
        chunk.subarray(at, end).copy_to(part);
        sink(part);
        at = end;
    }
}
