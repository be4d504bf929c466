//! One stored training column, compact: numbers as `i16` or `f32` while
//! every value is exactly one (house data is mostly whole numbers), labels as codes
//! into the column's own dictionary (`u8` while it has fewer than 255
//! labels). A million-row file then costs a few bytes per cell instead of
//! a typed record per row with an owned `String` per label.

use std::collections::HashMap;

use crate::schema::CellRef;

/// A numeric column, in the narrowest of three forms that holds every
/// value exactly: whole numbers of `i16` (most columns: counts, years,
/// most areas; [`i16::MIN`] is a missing value), then `f32`, then `f64`
/// (`NaN`: missing; inputs are never `NaN`).
#[derive(Debug, Clone)]
pub(super) enum NumberCells {
    Small(Vec<i16>),
    Narrow(Vec<f32>),
    Wide(Vec<f64>),
}

impl Default for NumberCells {
    fn default() -> Self {
        NumberCells::Small(Vec::new())
    }
}

/// `value` as an `i16` when that is exact (not `-0.0`, not the sentinel).
fn small(value: f64) -> Option<i16> {
    let small = value as i16;
    let exact = f64::from(small) == value && small != i16::MIN;
    (exact && !(value == 0.0 && value.is_sign_negative())).then_some(small)
}

fn from_small(cell: i16) -> f64 {
    if cell == i16::MIN {
        f64::NAN
    } else {
        f64::from(cell)
    }
}

impl NumberCells {
    pub(super) fn push(&mut self, value: Option<f64>) {
        let wider = match self {
            NumberCells::Small(cells) => match value.map(small) {
                None => return cells.push(i16::MIN),
                Some(Some(cell)) => return cells.push(cell),
                Some(None) => NumberCells::Narrow(
                    // Every i16 is an exact f32.
                    cells.iter().map(|&c| from_small(c) as f32).collect(),
                ),
            },
            NumberCells::Narrow(cells) => {
                let value = value.unwrap_or(f64::NAN);
                let narrow = value as f32;
                if f64::from(narrow) == value || value.is_nan() {
                    return cells.push(narrow);
                }
                NumberCells::Wide(cells.iter().map(|&v| f64::from(v)).collect())
            }
            NumberCells::Wide(cells) => return cells.push(value.unwrap_or(f64::NAN)),
        };
        *self = wider;
        self.push(value);
    }

    /// The value of `row`, exactly as it was pushed (`None`: missing).
    pub(super) fn get(&self, row: usize) -> Option<f64> {
        let value = match self {
            NumberCells::Small(cells) => from_small(cells[row]),
            NumberCells::Narrow(cells) => f64::from(cells[row]),
            NumberCells::Wide(cells) => cells[row],
        };
        (!value.is_nan()).then_some(value)
    }

    pub(super) fn shrink_to_fit(&mut self) {
        match self {
            NumberCells::Small(cells) => cells.shrink_to_fit(),
            NumberCells::Narrow(cells) => cells.shrink_to_fit(),
            NumberCells::Wide(cells) => cells.shrink_to_fit(),
        }
    }
}

/// A categorical column: each distinct label stored once.
#[derive(Debug, Clone, Default)]
pub(super) struct LabelCells {
    labels: Vec<Box<str>>,
    codes_of: HashMap<Box<str>, u32>,
    codes: Codes,
}

/// Codes into [`LabelCells::labels`]; the type's largest value is a
/// missing label.
#[derive(Debug, Clone)]
enum Codes {
    Narrow(Vec<u8>),
    Wide(Vec<u32>),
}

impl Default for Codes {
    fn default() -> Self {
        Codes::Narrow(Vec::new())
    }
}

impl LabelCells {
    pub(super) fn push(&mut self, label: Option<&str>) {
        let code = label.map(|label| self.intern(label));
        match (&mut self.codes, code) {
            (Codes::Narrow(codes), None) => codes.push(u8::MAX),
            (Codes::Narrow(codes), Some(code)) if code < u32::from(u8::MAX) => {
                codes.push(code as u8)
            }
            (Codes::Narrow(codes), Some(code)) => {
                let mut wide: Vec<u32> = codes
                    .iter()
                    .map(|&c| if c == u8::MAX { u32::MAX } else { u32::from(c) })
                    .collect();
                wide.push(code);
                self.codes = Codes::Wide(wide);
            }
            (Codes::Wide(codes), code) => codes.push(code.unwrap_or(u32::MAX)),
        }
    }

    fn intern(&mut self, label: &str) -> u32 {
        if let Some(&code) = self.codes_of.get(label) {
            return code;
        }
        let code = self.labels.len() as u32;
        self.labels.push(label.into());
        self.codes_of.insert(label.into(), code);
        code
    }

    /// The label of `row`, borrowed from the dictionary (`None`: missing).
    pub(super) fn get(&self, row: usize) -> Option<&str> {
        let code = match &self.codes {
            Codes::Narrow(codes) => Some(codes[row]).filter(|&c| c != u8::MAX).map(u32::from),
            Codes::Wide(codes) => Some(codes[row]).filter(|&c| c != u32::MAX),
        };
        code.map(|c| &*self.labels[c as usize])
    }

    pub(super) fn shrink_to_fit(&mut self) {
        match &mut self.codes {
            Codes::Narrow(codes) => codes.shrink_to_fit(),
            Codes::Wide(codes) => codes.shrink_to_fit(),
        }
    }
}

/// One stored column.
#[derive(Debug, Clone)]
pub(super) enum Cells {
    Numbers(NumberCells),
    Labels(LabelCells),
}

impl Cells {
    /// Appends one cell. The column's kind and the cell's come from the
    /// same [`crate::schema::Column`]; a cell of the other kind (which
    /// cannot arrive) is stored as missing, so columns stay of equal length.
    pub(super) fn push(&mut self, cell: CellRef<'_>) {
        match (self, cell) {
            (Cells::Numbers(cells), CellRef::Number(value)) => cells.push(value),
            (Cells::Numbers(cells), CellRef::Label(_)) => cells.push(None),
            (Cells::Labels(cells), CellRef::Label(label)) => cells.push(label),
            (Cells::Labels(cells), CellRef::Number(_)) => cells.push(None),
        }
    }

    pub(super) fn get(&self, row: usize) -> CellRef<'_> {
        match self {
            Cells::Numbers(cells) => CellRef::Number(cells.get(row)),
            Cells::Labels(cells) => CellRef::Label(cells.get(row)),
        }
    }

    pub(super) fn shrink_to_fit(&mut self) {
        match self {
            Cells::Numbers(cells) => cells.shrink_to_fit(),
            Cells::Labels(cells) => cells.shrink_to_fit(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_widen_when_the_form_cannot_hold_one_exactly_and_keep_every_bit() {
        let form = |cells: &NumberCells| match cells {
            NumberCells::Small(_) => "i16",
            NumberCells::Narrow(_) => "f32",
            NumberCells::Wide(_) => "f64",
        };
        let steps = [
            (Some(1.0), "i16"),
            (None, "i16"),
            (Some(-32767.0), "i16"),
            (Some(-0.0), "f32"),
            (Some(-32768.0), "f32"),
            (Some(65.5), "f32"),
            (Some(0.1), "f64"),
            (Some(3.0), "f64"),
        ];
        let mut cells = NumberCells::default();
        for (value, expected) in steps {
            cells.push(value);
            assert_eq!(form(&cells), expected, "after {value:?}");
        }
        for (row, (value, _)) in steps.iter().enumerate() {
            assert_eq!(cells.get(row).map(f64::to_bits), value.map(f64::to_bits));
        }
        let mut large = NumberCells::default();
        large.push(Some(40_000.0));
        assert_eq!(form(&large), "f32");
    }

    #[test]
    fn labels_are_stored_once_and_codes_widen_past_254_labels() {
        let mut cells = LabelCells::default();
        let names: Vec<String> = (0..300).map(|i| format!("L{i}")).collect();
        for (i, name) in names.iter().enumerate() {
            cells.push(Some(name));
            cells.push(None);
            cells.push(Some(&names[i / 2]));
        }
        cells.shrink_to_fit();
        assert_eq!(cells.labels.len(), 300);
        assert!(matches!(cells.codes, Codes::Wide(_)));
        for (i, name) in names.iter().enumerate() {
            assert_eq!(cells.get(3 * i), Some(name.as_str()));
            assert_eq!(cells.get(3 * i + 1), None);
            assert_eq!(cells.get(3 * i + 2), Some(names[i / 2].as_str()));
        }
    }
}
