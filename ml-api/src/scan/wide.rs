//! The scan sixteen bytes at a time (SSE2, which every x86-64 CPU has):
//! one comparison a byte value, and the quotes' prefix XOR tells which
//! brackets and commas lie outside strings. Bodies are mostly short keys
//! and labels, where the byte-wise scan pays a call and a dispatch for
//! each string: a 100-record body (140 KB, about 12,000 strings) took 0.90M
//! instructions byte-wise and takes 0.50M here. A block with a backslash,
//! and the top-level list before its first element, go byte-wise.

use std::arch::x86_64::{
    __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
};

use super::Counts;
use crate::error::Error;

pub const BLOCK: usize = 16;

/// Counts `block` (16 bytes, starting inside a string if
/// `shape.in_string`) into `shape`: `None` when it holds a backslash
/// (an escape is left to the byte-wise scan), else the bytes used: all
/// sixteen, or fewer when the top-level list opens again and waits for
/// its first element. `shape.in_string` tells whether it ended inside
/// a string.
pub fn block(
    block: &[u8; BLOCK],
    shape: &mut Counts,
    max_depth: usize,
) -> Result<Option<usize>, Error> {
    let eq = masks(block);
    if eq(b'\\') != 0 {
        return Ok(None);
    }
    // Bit i set: byte i is inside a string (its opening quote
    // included, its closing quote not).
    let mut inside = eq(b'"');
    for shift in [1, 2, 4, 8] {
        inside ^= inside << shift;
    }
    if shape.in_string {
        inside = !inside;
    }
    inside &= 0xffff;
    let outside = !inside & 0xffff;
    let opens = (eq(b'[') | eq(b'{')) & outside;
    let closes = (eq(b']') | eq(b'}')) & outside;
    let commas = eq(b',') & outside;
    shape.in_string = inside & 0x8000 != 0;
    if opens | closes == 0 {
        if shape.in_top_list() {
            shape.commas += commas.count_ones() as usize;
        }
        return Ok(Some(BLOCK));
    }
    let mut events = opens | closes | commas;
    while events != 0 {
        let i = events.trailing_zeros() as usize;
        let bit = 1 << i;
        events &= events - 1;
        if commas & bit != 0 {
            if shape.in_top_list() {
                shape.commas += 1;
            }
        } else if opens & bit != 0 {
            shape.open(block[i], max_depth)?;
            if shape.awaits_element() {
                shape.in_string = false;
                return Ok(Some(i + 1));
            }
        } else {
            shape.depth = shape.depth.saturating_sub(1);
        }
    }
    Ok(Some(BLOCK))
}

/// For each byte value, the bit mask of where `block` holds it.
fn masks(block: &[u8; BLOCK]) -> impl Fn(u8) -> u32 {
    // SAFETY: `block` holds 16 readable bytes (its type says so) and the load has no
    // alignment requirement; SSE2 is part of every x86-64 CPU (the
    // target's baseline), so its instructions can always run.
    let v = unsafe { _mm_loadu_si128(block.as_ptr().cast::<__m128i>()) };
    move |byte: u8| {
        // SAFETY: as above, SSE2 is always there.
        let mask = unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(byte as i8))) };
        (mask as u32) & 0xffff
    }
}
