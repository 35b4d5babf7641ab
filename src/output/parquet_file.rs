//! A small Parquet writer of our own, for flat tables of text columns and optional booleans,
//! written straight from integer codes (no polars, no string per cell).
//!
//! - A text column is `BYTE_ARRAY`, `REQUIRED`, annotated UTF-8 (converted type `UTF8`,
//!   logical type `STRING`). Each column chunk holds a dictionary page (the distinct values,
//!   `PLAIN`: a 4-byte little-endian length and the bytes of each) and one data page of
//!   `RLE_DICTIONARY` indices: a byte giving the bit width, then the RLE/bit-packed hybrid
//!   (runs of one value as RLE runs, everything else bit-packed in groups of eight).
//! - A boolean column is `BOOLEAN`, `OPTIONAL`: definition levels (RLE hybrid, bit width 1,
//!   after a 4-byte length), then the present values `PLAIN` (one bit each).
//! - A column chunk is Snappy-compressed when that saves at least an eighth of its pages'
//!   size together; otherwise it is stored uncompressed. No statistics.
//! - The footer is the `FileMetaData` in the Thrift compact protocol.
//!
//! The layout follows the Apache Parquet format specification (`parquet.thrift` and
//! `Encodings.md` of apache/parquet-format).

use std::io::{self, Write};

/// The schema of one column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ColumnType {
    /// Dictionary-encoded UTF-8 text, never null.
    Text,
    /// A boolean that may be null.
    Bool,
}

/// One column chunk, encoded and ready to be written (see [`text_chunk`], [`bool_chunk`]).
#[derive(Debug, Clone)]
pub struct Chunk {
    bytes: Vec<u8>,
    values: u64,
    uncompressed: u64,
    /// Where the data page starts in `bytes` (after the dictionary page, if any).
    data_at: u64,
    has_dict: bool,
    snappy: bool,
    kind: ColumnType,
}

impl Chunk {
    /// The encoded size in bytes (page headers included).
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether the chunk has no bytes (never, once encoded).
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

/// Thrift compact-protocol type ids.
mod ct {
    #[cfg(test)]
    pub const TRUE: u8 = 1;
    #[cfg(test)]
    pub const FALSE: u8 = 2;
    pub const I32: u8 = 5;
    pub const I64: u8 = 6;
    pub const BINARY: u8 = 8;
    pub const LIST: u8 = 9;
    pub const STRUCT: u8 = 12;
}

/// Parquet enum values (parquet.thrift).
mod pq {
    pub const BOOLEAN: i32 = 0;
    pub const BYTE_ARRAY: i32 = 6;
    pub const REQUIRED: i32 = 0;
    pub const OPTIONAL: i32 = 1;
    pub const UTF8: i32 = 0;
    pub const PLAIN: i32 = 0;
    pub const RLE: i32 = 3;
    pub const RLE_DICTIONARY: i32 = 8;
    pub const UNCOMPRESSED: i32 = 0;
    pub const SNAPPY: i32 = 1;
    pub const DATA_PAGE: i32 = 0;
    pub const DICTIONARY_PAGE: i32 = 2;
}

/// A writer of Thrift compact-protocol structs: field headers carry the delta from the
/// previous field id when it is 1 to 15, integers are zigzag varints.
#[derive(Debug, Default)]
pub(crate) struct Thrift {
    pub(crate) buf: Vec<u8>,
    last: i16,
    stack: Vec<i16>,
}

pub(crate) fn varint(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

impl Thrift {
    fn header(&mut self, id: i16, ty: u8) {
        let delta = i32::from(id) - i32::from(self.last);
        if (1..=15).contains(&delta) {
            self.buf.push(((delta as u8) << 4) | ty);
        } else {
            self.buf.push(ty);
            varint(zigzag(i64::from(id)), &mut self.buf);
        }
        self.last = id;
    }

    pub(crate) fn i32(&mut self, id: i16, v: i32) {
        self.header(id, ct::I32);
        varint(zigzag(i64::from(v)), &mut self.buf);
    }

    pub(crate) fn i64(&mut self, id: i16, v: i64) {
        self.header(id, ct::I64);
        varint(zigzag(v), &mut self.buf);
    }

    #[cfg(test)]
    pub(crate) fn bool(&mut self, id: i16, v: bool) {
        self.header(id, if v { ct::TRUE } else { ct::FALSE });
    }

    pub(crate) fn binary(&mut self, id: i16, v: &[u8]) {
        self.header(id, ct::BINARY);
        self.raw_binary(v);
    }

    fn raw_binary(&mut self, v: &[u8]) {
        varint(v.len() as u64, &mut self.buf);
        self.buf.extend_from_slice(v);
    }

    /// Opens a struct field; close it with [`Thrift::end`].
    pub(crate) fn begin(&mut self, id: i16) {
        self.header(id, ct::STRUCT);
        self.open();
    }

    /// Opens a struct that is a list element (no field header).
    pub(crate) fn open(&mut self) {
        self.stack.push(self.last);
        self.last = 0;
    }

    /// Ends the current struct (the stop byte).
    pub(crate) fn end(&mut self) {
        self.buf.push(0);
        self.last = self.stack.pop().unwrap_or(0);
    }

    /// A list field header of `n` elements of compact type `elem`.
    pub(crate) fn list(&mut self, id: i16, elem: u8, n: usize) {
        self.header(id, ct::LIST);
        if n < 15 {
            self.buf.push(((n as u8) << 4) | elem);
        } else {
            self.buf.push(0xF0 | elem);
            varint(n as u64, &mut self.buf);
        }
    }

    fn list_i32(&mut self, id: i16, vs: &[i32]) {
        self.list(id, ct::I32, vs.len());
        for &v in vs {
            varint(zigzag(i64::from(v)), &mut self.buf);
        }
    }
}

/// Bits needed for `max` (at least 1).
pub(crate) fn bit_width(max: u32) -> u32 {
    (32 - max.leading_zeros()).max(1)
}

/// Appends `values` bit-packed (least significant bit first) with `width` bits each, padded
/// with zeros to whole groups of eight, after the bit-packed run header.
fn packed_run(values: &[u32], width: u32, out: &mut Vec<u8>) {
    if values.is_empty() {
        return;
    }
    let groups = values.len().div_ceil(8);
    varint(((groups as u64) << 1) | 1, out);
    out.reserve(groups * width as usize);
    let mut acc: u64 = 0;
    let mut bits = 0u32;
    let pad = groups * 8 - values.len();
    for &v in values.iter().chain(std::iter::repeat_n(&0, pad)) {
        acc |= u64::from(v) << bits;
        bits += width;
        while bits >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            bits -= 8;
        }
    }
}

/// Appends the RLE/bit-packed hybrid encoding of `values` (each < 2^`width`): a run of eight
/// or more equal values starting at a group boundary becomes an RLE run, the rest is packed
/// in groups of eight.
pub(crate) fn hybrid(values: &[u32], width: u32, out: &mut Vec<u8>) {
    let value_bytes = width.div_ceil(8) as usize;
    let n = values.len();
    let mut i = 0;
    let mut packed_from = 0;
    while i < n {
        let v = values[i];
        let mut r = 1;
        while i + r < n && values[i + r] == v {
            r += 1;
        }
        if r >= 8 {
            packed_run(&values[packed_from..i], width, out);
            varint((r as u64) << 1, out);
            out.extend_from_slice(&v.to_le_bytes()[..value_bytes]);
            i += r;
            packed_from = i;
        } else {
            i = (i + 8).min(n);
        }
    }
    packed_run(&values[packed_from..], width, out);
}

/// Values [`hybrid_runs`] holds back at most before packing them.
const PENDING_MAX: usize = 4096;

/// Appends the RLE/bit-packed hybrid encoding of the values given as runs `(value, length)`:
/// the same encoding as [`hybrid`] of the expanded values, without expanding long runs. A run
/// of eight or more becomes an RLE run once the bit-packed values before it fill whole groups
/// of eight (the first values of the run complete the group).
pub(crate) fn hybrid_runs(runs: &[(u32, u32)], width: u32, out: &mut Vec<u8>) {
    let value_bytes = width.div_ceil(8) as usize;
    let mut pending: Vec<u32> = Vec::with_capacity(PENDING_MAX + 64);
    for &(v, n) in runs {
        if pending.len() >= PENDING_MAX {
            // A long stretch without repeats: packed in runs of whole groups of eight as it
            // comes, so the buffer stays small.
            let whole = pending.len() / 8 * 8;
            packed_run(&pending[..whole], width, out);
            pending.drain(..whole);
        }
        let mut n = n as usize;
        if n >= 8 {
            let take = ((8 - pending.len() % 8) % 8).min(n);
            pending.extend(std::iter::repeat_n(v, take));
            n -= take;
            if n >= 8 {
                packed_run(&pending, width, out);
                pending.clear();
                varint((n as u64) << 1, out);
                out.extend_from_slice(&v.to_le_bytes()[..value_bytes]);
                continue;
            }
        }
        pending.extend(std::iter::repeat_n(v, n));
    }
    packed_run(&pending, width, out);
}

/// Assembles a chunk from its page payloads (dictionary page first, if any), compressing them
/// with Snappy when that pays.
fn assemble(
    dict: Option<(Vec<u8>, usize)>,
    data: Vec<u8>,
    data_encoding: i32,
    values: usize,
    kind: ColumnType,
) -> io::Result<Chunk> {
    let mut enc = snap::raw::Encoder::new();
    let squeeze = |enc: &mut snap::raw::Encoder, p: &[u8]| -> io::Result<Vec<u8>> {
        enc.compress_vec(p).map_err(io::Error::other)
    };
    // One codec for the whole chunk: Snappy when it saves an eighth of both pages together.
    let small = squeeze(&mut enc, &data)?;
    let small_dict = match &dict {
        Some((page, _)) => Some(squeeze(&mut enc, page)?),
        None => None,
    };
    let raw = data.len() + dict.as_ref().map_or(0, |(p, _)| p.len());
    let packed = small.len() + small_dict.as_ref().map_or(0, Vec::len);
    let snappy = packed * 8 <= raw * 7;
    let mut bytes = Vec::new();
    let mut uncompressed = 0u64;
    let mut has_dict = false;
    if let Some((page, n)) = dict {
        let stored = match small_dict {
            Some(small_dict) if snappy => small_dict,
            _ => page.clone(),
        };
        let h = dict_page_header(page.len(), stored.len(), n)?;
        uncompressed += (h.len() + page.len()) as u64;
        bytes.extend_from_slice(&h);
        bytes.extend_from_slice(&stored);
        has_dict = true;
    }
    let data_at = bytes.len() as u64;
    let stored = if snappy { small } else { data.clone() };
    let h = data_page_header(data.len(), stored.len(), values, data_encoding)?;
    uncompressed += (h.len() + data.len()) as u64;
    bytes.extend_from_slice(&h);
    bytes.extend_from_slice(&stored);
    Ok(Chunk {
        bytes,
        values: values as u64,
        uncompressed,
        data_at,
        has_dict,
        snappy,
        kind,
    })
}

fn size32(n: usize) -> io::Result<i32> {
    i32::try_from(n).map_err(|_| io::Error::other("a Parquet page exceeds 2 GiB"))
}

fn dict_page_header(uncompressed: usize, compressed: usize, values: usize) -> io::Result<Vec<u8>> {
    let mut t = Thrift::default();
    t.i32(1, pq::DICTIONARY_PAGE);
    t.i32(2, size32(uncompressed)?);
    t.i32(3, size32(compressed)?);
    t.begin(7);
    t.i32(1, size32(values)?);
    t.i32(2, pq::PLAIN);
    t.end();
    t.buf.push(0);
    Ok(t.buf)
}

fn data_page_header(
    uncompressed: usize,
    compressed: usize,
    values: usize,
    encoding: i32,
) -> io::Result<Vec<u8>> {
    let mut t = Thrift::default();
    t.i32(1, pq::DATA_PAGE);
    t.i32(2, size32(uncompressed)?);
    t.i32(3, size32(compressed)?);
    t.begin(5);
    t.i32(1, size32(values)?);
    t.i32(2, encoding);
    t.i32(3, pq::RLE);
    t.i32(4, pq::RLE);
    t.end();
    t.buf.push(0);
    Ok(t.buf)
}

/// A text column chunk from runs `(code, length)` of codes into `dict` (every code must be
/// `< dict.len()`).
pub fn text_chunk_runs<S: AsRef<str>>(dict: &[S], runs: &[(u32, u32)]) -> io::Result<Chunk> {
    if runs.iter().any(|&(c, _)| c as usize >= dict.len()) {
        return Err(io::Error::other("a dictionary code is out of range"));
    }
    let page = dict_page(dict)?;
    let width = bit_width(dict.len().saturating_sub(1) as u32);
    let mut data = Vec::with_capacity(runs.len() * 2 + 16);
    data.push(width as u8);
    hybrid_runs(runs, width, &mut data);
    let values = runs.iter().map(|&(_, n)| n as usize).sum();
    assemble(
        Some((page, dict.len())),
        data,
        pq::RLE_DICTIONARY,
        values,
        ColumnType::Text,
    )
}

/// The PLAIN dictionary page of `dict`.
fn dict_page<S: AsRef<str>>(dict: &[S]) -> io::Result<Vec<u8>> {
    let mut page = Vec::with_capacity(dict.iter().map(|s| s.as_ref().len() + 4).sum());
    for s in dict {
        let s = s.as_ref().as_bytes();
        let len = u32::try_from(s.len()).map_err(|_| io::Error::other("a value exceeds 4 GiB"))?;
        page.extend_from_slice(&len.to_le_bytes());
        page.extend_from_slice(s);
    }
    Ok(page)
}

/// A text column chunk: `dict` holds the distinct values, `codes[row]` indexes into it (every
/// code must be `< dict.len()`).
pub fn text_chunk<S: AsRef<str>>(dict: &[S], codes: &[u32]) -> io::Result<Chunk> {
    text_chunk_runs(dict, &runs_of(codes.iter().copied()))
}

/// The group's own dictionary: the values its runs use, in order of first use, with the runs'
/// codes renumbered into it. (A dictionary of every value so far would repeat megabytes of
/// rule chains in every row group.)
pub(crate) fn compact<'v, S: AsRef<str>>(values: &'v [S], runs: &mut [(u32, u32)]) -> Vec<&'v str> {
    let mut new_of = vec![u32::MAX; values.len()];
    let mut dict = Vec::new();
    for run in runs.iter_mut() {
        let Some(slot) = new_of.get_mut(run.0 as usize) else {
            // Out of range: left for the chunk encoder to report.
            continue;
        };
        if *slot == u32::MAX {
            *slot = dict.len() as u32;
            dict.push(values[run.0 as usize].as_ref());
        }
        run.0 = *slot;
    }
    dict
}

/// Runs `(value, length)` of equal values.
pub(crate) fn runs_of(values: impl Iterator<Item = u32>) -> Vec<(u32, u32)> {
    merge_runs(values.map(|v| (v, 1)))
}

/// Runs with equal neighbours joined.
pub(crate) fn merge_runs(runs: impl Iterator<Item = (u32, u32)>) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    merge_runs_into(runs, &mut out);
    out
}

/// [`merge_runs`] into `out` (cleared first), so a buffer can serve many columns.
pub(crate) fn merge_runs_into(runs: impl Iterator<Item = (u32, u32)>, out: &mut Vec<(u32, u32)>) {
    out.clear();
    for (v, n) in runs {
        match out.last_mut() {
            Some(last) if last.0 == v => last.1 += n,
            _ => out.push((v, n)),
        }
    }
}

/// A boolean column chunk from `values` (`None` = null).
pub fn bool_chunk(values: &[Option<bool>]) -> io::Result<Chunk> {
    let levels: Vec<u32> = values.iter().map(|v| u32::from(v.is_some())).collect();
    let mut runs = Vec::new();
    hybrid(&levels, 1, &mut runs);
    let len = u32::try_from(runs.len()).map_err(|_| io::Error::other("levels exceed 4 GiB"))?;
    let mut data = Vec::with_capacity(runs.len() + 4 + values.len() / 8 + 1);
    data.extend_from_slice(&len.to_le_bytes());
    data.extend_from_slice(&runs);
    let (mut acc, mut bits) = (0u8, 0u32);
    for b in values.iter().flatten() {
        acc |= u8::from(*b) << bits;
        bits += 1;
        if bits == 8 {
            data.push(acc);
            (acc, bits) = (0, 0);
        }
    }
    if bits > 0 {
        data.push(acc);
    }
    assemble(None, data, pq::PLAIN, values.len(), ColumnType::Bool)
}

struct ChunkMeta {
    kind: ColumnType,
    at: u64,
    len: u64,
    values: u64,
    uncompressed: u64,
    data_at: u64,
    has_dict: bool,
    snappy: bool,
}

struct GroupMeta {
    rows: u64,
    chunks: Vec<ChunkMeta>,
}

/// A Parquet file written row group by row group.
pub struct Writer<W: Write> {
    out: W,
    at: u64,
    columns: Vec<(String, ColumnType)>,
    groups: Vec<GroupMeta>,
    meta: Vec<(String, String)>,
}

impl<W: Write> Writer<W> {
    /// Starts a file of `columns` (names and types) with key-value metadata `meta`.
    pub fn new(
        mut out: W,
        columns: Vec<(String, ColumnType)>,
        meta: Vec<(String, String)>,
    ) -> io::Result<Writer<W>> {
        out.write_all(b"PAR1")?;
        Ok(Writer {
            out,
            at: 4,
            columns,
            groups: Vec::new(),
            meta,
        })
    }

    /// Writes one row group of `rows` rows: one chunk per column, in schema order.
    pub fn write_group(&mut self, rows: u64, chunks: &[Chunk]) -> io::Result<()> {
        if chunks.len() != self.columns.len()
            || chunks
                .iter()
                .zip(&self.columns)
                .any(|(c, (_, t))| c.kind != *t || c.values != rows)
        {
            return Err(io::Error::other(
                "a row group does not match the Parquet schema",
            ));
        }
        let mut metas = Vec::with_capacity(chunks.len());
        for c in chunks {
            self.out.write_all(&c.bytes)?;
            metas.push(ChunkMeta {
                kind: c.kind.clone(),
                at: self.at,
                len: c.bytes.len() as u64,
                values: c.values,
                uncompressed: c.uncompressed,
                data_at: c.data_at,
                has_dict: c.has_dict,
                snappy: c.snappy,
            });
            self.at += c.bytes.len() as u64;
        }
        self.groups.push(GroupMeta {
            rows,
            chunks: metas,
        });
        Ok(())
    }

    /// Writes the footer and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        let footer = self.footer();
        self.out.write_all(&footer)?;
        let len = u32::try_from(footer.len())
            .map_err(|_| io::Error::other("the Parquet footer exceeds 4 GiB"))?;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(b"PAR1")?;
        self.out.flush()?;
        Ok(self.out)
    }

    /// The `FileMetaData` struct.
    fn footer(&self) -> Vec<u8> {
        let mut t = Thrift::default();
        t.i32(1, 1);
        t.list(2, ct::STRUCT, self.columns.len() + 1);
        t.open();
        t.binary(4, b"schema");
        t.i32(5, self.columns.len() as i32);
        t.end();
        for (name, kind) in &self.columns {
            t.open();
            match kind {
                ColumnType::Text => {
                    t.i32(1, pq::BYTE_ARRAY);
                    t.i32(3, pq::REQUIRED);
                    t.binary(4, name.as_bytes());
                    t.i32(6, pq::UTF8);
                    t.begin(10);
                    t.begin(1);
                    t.end();
                    t.end();
                }
                ColumnType::Bool => {
                    t.i32(1, pq::BOOLEAN);
                    t.i32(3, pq::OPTIONAL);
                    t.binary(4, name.as_bytes());
                }
            }
            t.end();
        }
        let rows: u64 = self.groups.iter().map(|g| g.rows).sum();
        t.i64(3, rows as i64);
        t.list(4, ct::STRUCT, self.groups.len());
        for g in &self.groups {
            t.open();
            t.list(1, ct::STRUCT, g.chunks.len());
            for (c, (name, _)) in g.chunks.iter().zip(&self.columns) {
                t.open();
                t.i64(2, c.at as i64);
                t.begin(3);
                match c.kind {
                    ColumnType::Text => {
                        t.i32(1, pq::BYTE_ARRAY);
                        t.list_i32(2, &[pq::PLAIN, pq::RLE_DICTIONARY]);
                    }
                    ColumnType::Bool => {
                        t.i32(1, pq::BOOLEAN);
                        t.list_i32(2, &[pq::PLAIN, pq::RLE]);
                    }
                }
                t.list(3, ct::BINARY, 1);
                t.raw_binary(name.as_bytes());
                t.i32(
                    4,
                    if c.snappy {
                        pq::SNAPPY
                    } else {
                        pq::UNCOMPRESSED
                    },
                );
                t.i64(5, c.values as i64);
                t.i64(6, c.uncompressed as i64);
                t.i64(7, c.len as i64);
                t.i64(9, (c.at + c.data_at) as i64);
                if c.has_dict {
                    t.i64(11, c.at as i64);
                }
                t.end();
                t.end();
            }
            t.i64(2, g.chunks.iter().map(|c| c.uncompressed as i64).sum());
            t.i64(3, g.rows as i64);
            if let Some(first) = g.chunks.first() {
                t.i64(5, first.at as i64);
            }
            t.i64(6, g.chunks.iter().map(|c| c.len as i64).sum());
            t.end();
        }
        if !self.meta.is_empty() {
            t.list(5, ct::STRUCT, self.meta.len());
            for (k, v) in &self.meta {
                t.open();
                t.binary(1, k.as_bytes());
                t.binary(2, v.as_bytes());
                t.end();
            }
        }
        t.binary(
            6,
            concat!("wassenaar version ", env!("CARGO_PKG_VERSION")).as_bytes(),
        );
        t.buf.push(0);
        t.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Decodes the hybrid encoding back (a reference decoder for the tests).
    fn decode(mut b: &[u8], width: u32, n: usize) -> Vec<u32> {
        let mut out = Vec::new();
        let read_varint = |b: &mut &[u8]| {
            let (mut v, mut s) = (0u64, 0);
            loop {
                let x = b[0];
                *b = &b[1..];
                v |= u64::from(x & 0x7f) << s;
                if x < 0x80 {
                    return v;
                }
                s += 7;
            }
        };
        while out.len() < n {
            let h = read_varint(&mut b);
            if h & 1 == 0 {
                let bytes = width.div_ceil(8) as usize;
                let mut v = [0u8; 4];
                v[..bytes].copy_from_slice(&b[..bytes]);
                b = &b[bytes..];
                out.extend(std::iter::repeat_n(
                    u32::from_le_bytes(v),
                    (h >> 1) as usize,
                ));
            } else {
                let count = (h >> 1) as usize * 8;
                let mut bit = 0usize;
                for _ in 0..count {
                    let mut v = 0u32;
                    for k in 0..width as usize {
                        let at = bit + k;
                        v |= u32::from((b[at / 8] >> (at % 8)) & 1) << k;
                    }
                    bit += width as usize;
                    out.push(v);
                }
                b = &b[count * width as usize / 8..];
            }
        }
        assert!(b.is_empty(), "trailing bytes");
        out.truncate(n);
        out
    }

    #[test]
    fn hybrid_round_trips_runs_and_packed_groups() {
        let cases: Vec<(Vec<u32>, u32)> = vec![
            (vec![], 1),
            (vec![0], 1),
            (vec![1; 100], 1),
            ((0..42).cycle().take(1000).collect(), 6),
            (
                (0..30)
                    .flat_map(|k| std::iter::repeat_n(k % 7, (k as usize % 11) + 1))
                    .collect(),
                3,
            ),
            (vec![70_000, 70_000, 5, 70_000], 17),
            (
                (0..500u32).map(|k| k.wrapping_mul(2_654_435_761)).collect(),
                32,
            ),
            (
                std::iter::repeat_n(3, 9)
                    .chain([1, 2, 3])
                    .chain(std::iter::repeat_n(9, 20))
                    .collect(),
                4,
            ),
        ];
        for (values, width) in cases {
            let mut out = Vec::new();
            hybrid(&values, width, &mut out);
            assert_eq!(decode(&out, width, values.len()), values, "width {width}");
        }
    }

    #[test]
    fn hybrid_of_runs_is_hybrid_of_the_values() {
        let mut seed = 7u64;
        for case in 0..200 {
            let mut runs: Vec<(u32, u32)> = Vec::new();
            for _ in 0..(case % 17) {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
                let v = ((seed >> 33) % 5) as u32;
                let n = 1 + ((seed >> 40) % 23) as u32;
                runs.push((v, n));
            }
            let values: Vec<u32> = runs
                .iter()
                .flat_map(|&(v, n)| std::iter::repeat_n(v, n as usize))
                .collect();
            let mut a = Vec::new();
            hybrid_runs(&runs, 3, &mut a);
            assert_eq!(decode(&a, 3, values.len()), values, "{runs:?}");
        }
        // Long stretches without repeats (packed in pieces), between and around long runs.
        let mut runs: Vec<(u32, u32)> = (0..10_001).map(|i| (i % 7, 1)).collect();
        runs.push((3, 50));
        runs.extend((0..5_003).map(|i| (i % 5, 1 + i % 2)));
        let values: Vec<u32> = runs
            .iter()
            .flat_map(|&(v, n)| std::iter::repeat_n(v, n as usize))
            .collect();
        let mut a = Vec::new();
        hybrid_runs(&runs, 3, &mut a);
        assert_eq!(decode(&a, 3, values.len()), values);
    }

    #[test]
    fn hybrid_uses_rle_runs_for_repeats() {
        let mut out = Vec::new();
        hybrid(&[5; 1000], 3, &mut out);
        // One RLE run: varint(1000 << 1) = 2 bytes, then one value byte.
        assert_eq!(out, vec![0xD0, 0x0F, 5]);
        let mut out = Vec::new();
        hybrid(&[1, 0, 1, 1, 0, 0, 0, 1, 1], 1, &mut out);
        // Two bit-packed groups: header (2 << 1 | 1), 0b1000_1101, then 1 and padding.
        assert_eq!(out, vec![5, 0b1000_1101, 1]);
    }

    #[test]
    fn thrift_compact_encoding() {
        let mut t = Thrift::default();
        t.i32(1, -3); // delta 1, i32: 0x15, zigzag(-3) = 5
        t.i64(3, 300); // delta 2, i64: 0x26, zigzag 600 = 0xD8 0x04
        t.bool(4, true); // delta 1, true: 0x11
        t.binary(20, b"ab"); // delta 16: long form 0x08, zigzag(20) = 40, len 2
        t.begin(21); // delta 1, struct: 0x1C
        t.bool(1, false); // inside: delta 1, false: 0x12
        t.end(); // stop 0x00
        t.list(22, ct::I32, 2); // delta 1 from 21: 0x19, 0x25
        t.list(23, ct::BINARY, 20); // 0x19, 0xF8, 20
        t.buf.push(0);
        assert_eq!(
            t.buf,
            vec![
                0x15, 5, 0x26, 0xD8, 0x04, 0x11, 0x08, 40, 2, b'a', b'b', 0x1C, 0x12, 0, 0x19,
                0x25, 0x19, 0xF8, 20, 0
            ]
        );
    }

    #[test]
    fn bit_widths() {
        assert_eq!(bit_width(0), 1);
        assert_eq!(bit_width(1), 1);
        assert_eq!(bit_width(2), 2);
        assert_eq!(bit_width(255), 8);
        assert_eq!(bit_width(256), 9);
        assert_eq!(bit_width(u32::MAX), 32);
    }

    #[test]
    fn out_of_range_codes_are_refused() {
        assert!(text_chunk(&["a"], &[0, 1]).is_err());
        assert!(text_chunk::<&str>(&[], &[0]).is_err());
    }

    /// Files of a few row groups read back through polars with every value.
    #[cfg(feature = "polars")]
    #[test]
    fn polars_reads_the_files_back() {
        use polars::prelude::*;
        let dict = ["", "alpha", "béta", "gamma with a longer text"];
        let mut w = Writer::new(
            Vec::new(),
            vec![
                ("t".into(), ColumnType::Text),
                ("b".into(), ColumnType::Bool),
                ("u".into(), ColumnType::Text),
            ],
            vec![("k".into(), "v".into())],
        )
        .expect("writer");
        let mut expect_t = Vec::new();
        let mut expect_b = Vec::new();
        let mut expect_u = Vec::new();
        for g in 0..3u32 {
            let n = 1000 + g as usize * 17;
            let codes: Vec<u32> = (0..n as u32)
                .map(|k| if k % 100 < 50 { 2 } else { (k * 7 + g) % 4 })
                .collect();
            let flags: Vec<Option<bool>> = (0..n)
                .map(|k| match k % 5 {
                    0 => Some(true),
                    1 => Some(false),
                    _ => None,
                })
                .collect();
            let u: Vec<u32> = vec![0; n];
            w.write_group(
                n as u64,
                &[
                    text_chunk(&dict, &codes).expect("t"),
                    bool_chunk(&flags).expect("b"),
                    text_chunk(&["only"], &u).expect("u"),
                ],
            )
            .expect("group");
            expect_t.extend(codes.iter().map(|&c| dict[c as usize].to_string()));
            expect_b.extend(flags);
            expect_u.extend(std::iter::repeat_n("only".to_string(), n));
        }
        let bytes = w.finish().expect("finish");
        let df = ParquetReader::new(std::io::Cursor::new(bytes))
            .finish()
            .expect("polars reads");
        assert_eq!(df.height(), expect_t.len());
        let t: Vec<String> = df
            .column("t")
            .expect("t")
            .str()
            .expect("string")
            .iter()
            .map(|v| v.expect("required").to_string())
            .collect();
        assert_eq!(t, expect_t);
        let b: Vec<Option<bool>> = df
            .column("b")
            .expect("b")
            .bool()
            .expect("bool")
            .iter()
            .collect();
        assert_eq!(b, expect_b);
        let u: Vec<String> = df
            .column("u")
            .expect("u")
            .str()
            .expect("string")
            .iter()
            .map(|v| v.expect("required").to_string())
            .collect();
        assert_eq!(u, expect_u);
    }

    /// A file without rows still has its schema.
    #[cfg(feature = "polars")]
    #[test]
    fn polars_reads_an_empty_file() {
        use polars::prelude::*;
        let w = Writer::new(
            Vec::new(),
            vec![
                ("t".into(), ColumnType::Text),
                ("b".into(), ColumnType::Bool),
            ],
            Vec::new(),
        )
        .expect("writer");
        let bytes = w.finish().expect("finish");
        let df = ParquetReader::new(std::io::Cursor::new(bytes))
            .finish()
            .expect("polars reads");
        assert_eq!(df.height(), 0);
        assert_eq!(df.get_column_names(), vec!["t", "b"]);
    }
}
