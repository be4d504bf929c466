//! Building a row one field at a time, as a reader meets them: each raw
//! cell converted to its column's type (a problem when it cannot be), a
//! repeated column noted once, then the schema's range rules run on the
//! whole record. Readers (CSV, JSON, the HTTP API's columns) share it, so a
//! cell means the same whatever format brought it.

use validator::Validate;

use super::{Field, FieldProblem, ParsedRow, Problem, RawCell, Sent};
use crate::schema::{Column, ColumnKind, HouseRecord};

const COLUMNS: usize = Column::ALL.len();

impl ParsedRow {
    fn set_id(&mut self, cell: RawCell) {
        match cell {
            RawCell::Missing => {}
            RawCell::Number(n) if n.fract() == 0.0 && n.abs() < 9.0e15 => {
                self.record.id = Some(n as i64)
            }
            RawCell::Text(t) if t.trim().parse::<i64>().is_ok() => {
                self.record.id = t.trim().parse().ok()
            }
            other => self.problems.push(FieldProblem {
                field: "Id",
                column: None,
                problem: Problem::NotAnInteger(other.sent()),
            }),
        }
    }

    fn set(&mut self, column: Column, cell: RawCell) {
        let parsed = match column.kind() {
            ColumnKind::Numeric => to_number(cell)
                .map(|value| *self.record.number_mut(column).expect("numeric column") = value),
            ColumnKind::Categorical => to_label(cell)
                .map(|value| *self.record.label_mut(column).expect("categorical column") = value),
        };
        if let Err(problem) = parsed {
            self.problems.push(FieldProblem::column(column, problem));
        }
    }
}

/// Builds a [`ParsedRow`] one known field at a time, as a reader meets them
/// (names outside the schema are the reader's to note, once per batch).
#[derive(Debug)]
pub struct RowBuilder {
    row: ParsedRow,
    /// Per column: not yet seen, seen once, or already reported as repeated.
    seen: [Seen; COLUMNS],
    /// The same for `Id`: a second one must not silently replace the first,
    /// or a price would come back under another house's `Id`.
    id_seen: Seen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    No,
    Once,
    Repeated,
}

impl Default for RowBuilder {
    fn default() -> Self {
        RowBuilder {
            row: ParsedRow::default(),
            seen: [Seen::No; COLUMNS],
            id_seen: Seen::No,
        }
    }
}

impl RowBuilder {
    /// Takes one field. A column given again is one problem however often
    /// it repeats; [`Field::Unknown`] is ignored here.
    pub fn add(&mut self, field: Field, cell: RawCell) {
        match field {
            Field::Id => match self.id_seen {
                Seen::No => {
                    self.id_seen = Seen::Once;
                    self.row.set_id(cell);
                }
                Seen::Once => {
                    self.id_seen = Seen::Repeated;
                    self.row.problems.push(FieldProblem {
                        field: "Id",
                        column: None,
                        problem: Problem::Repeated,
                    });
                }
                Seen::Repeated => {}
            },
            Field::Target | Field::Unknown => {}
            Field::Input(column) => match self.seen[column as usize] {
                Seen::No => {
                    self.seen[column as usize] = Seen::Once;
                    self.row.set(column, cell);
                }
                Seen::Once => {
                    self.seen[column as usize] = Seen::Repeated;
                    self.row
                        .problems
                        .push(FieldProblem::column(column, Problem::Repeated));
                }
                Seen::Repeated => {}
            },
        }
    }

    /// Takes one CSV cell: the same as [`RowBuilder::add`] with
    /// [`RawCell::from_csv`], without allocating for a number or an `Id`
    /// (most cells of a file, read a million times over).
    pub fn add_csv(&mut self, field: Field, cell: &str) {
        match field {
            Field::Input(column)
                if column.kind() == ColumnKind::Numeric
                    && self.seen[column as usize] == Seen::No =>
            {
                self.seen[column as usize] = Seen::Once;
                match number_from_csv(cell) {
                    Ok(value) => {
                        *self.row.record.number_mut(column).expect("numeric column") = value
                    }
                    Err(problem) => self
                        .row
                        .problems
                        .push(FieldProblem::column(column, problem)),
                }
            }
            Field::Id if self.id_seen == Seen::No && !super::is_missing_marker(cell) => {
                self.id_seen = Seen::Once;
                match cell.trim().parse::<i64>() {
                    Ok(id) => self.row.record.id = Some(id),
                    Err(_) => self.row.problems.push(FieldProblem {
                        field: "Id",
                        column: None,
                        problem: Problem::NotAnInteger(Sent::Text),
                    }),
                }
            }
            _ => self.add(field, RawCell::from_csv(cell)),
        }
    }

    /// The row, once the schema's range rules have run on it.
    pub fn finish(mut self) -> ParsedRow {
        let problems = range_problems(&self.row.record);
        self.row.problems.extend(problems);
        self.row
    }
}

/// The schema's range rules, broken by a record, in column order.
pub fn range_problems(record: &HouseRecord) -> Vec<FieldProblem> {
    let errors = match record.validate() {
        Ok(()) => validator::ValidationErrors::new(),
        Err(errors) => errors,
    };
    let mut problems: Vec<FieldProblem> = errors
        .field_errors()
        .into_iter()
        .filter_map(|(field, list)| Some((Column::from_field(&field)?, list)))
        .flat_map(|(column, list)| {
            list.iter().map(move |e| {
                let rule = match &e.message {
                    Some(std::borrow::Cow::Borrowed(rule)) => rule,
                    _ => "is out of range",
                };
                FieldProblem::column(column, Problem::Range(rule))
            })
        })
        .collect();
    // The plausibility bounds: the rule is named, never the value.
    problems.extend(
        crate::schema::bounds::exceeded(record)
            .map(|(column, rule)| FieldProblem::column(column, Problem::Range(rule))),
    );
    // validator reports through a HashMap: sort for a stable answer.
    problems.sort_by_key(|p| p.column);
    problems
}

fn to_number(cell: RawCell) -> Result<Option<f64>, Problem> {
    match cell {
        RawCell::Missing => Ok(None),
        RawCell::Number(n) if n.is_finite() => Ok(Some(n)),
        RawCell::Text(t) => match t.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Ok(Some(n)),
            _ => Err(Problem::NotANumber(Sent::Text)),
        },
        other => Err(Problem::NotANumber(other.sent())),
    }
}

/// [`to_number`] of [`RawCell::from_csv`]`(cell)`, without the copy.
fn number_from_csv(cell: &str) -> Result<Option<f64>, Problem> {
    if super::is_missing_marker(cell) {
        return Ok(None);
    }
    match cell.trim().parse::<f64>() {
        Ok(n) if n.is_finite() => Ok(Some(n)),
        _ => Err(Problem::NotANumber(Sent::Text)),
    }
}

fn to_label(cell: RawCell) -> Result<Option<String>, Problem> {
    match cell {
        RawCell::Missing => Ok(None),
        RawCell::Text(t) => Ok(Some(t)),
        // Codes such as MSSubClass are often sent as numbers: 20 is label "20".
        RawCell::Number(n) if n.fract() == 0.0 && n.abs() < 1.0e15 => {
            Ok(Some(format!("{}", n as i64)))
        }
        RawCell::Number(n) => Ok(Some(n.to_string())),
        other => Err(Problem::NotALabel(other.sent())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CSV fast path builds the same row as the general one, cell for
    /// cell, problems included.
    #[test]
    fn a_csv_cell_makes_the_same_row_either_way() {
        let cells = [
            "", "NA", "12", " 12 ", "1.5e3", "abc", "1e400", "NaN", "-3", "None",
        ];
        let fields = [
            Field::Id,
            Field::Input(Column::LotArea),
            Field::Input(Column::Street),
        ];
        for field in fields {
            for cell in cells {
                for repeat in [1, 2, 3] {
                    let (mut fast, mut general) = (RowBuilder::default(), RowBuilder::default());
                    for _ in 0..repeat {
                        fast.add_csv(field, cell);
                        general.add(field, RawCell::from_csv(cell));
                    }
                    assert_eq!(
                        fast.finish(),
                        general.finish(),
                        "{field:?} {cell:?} x{repeat}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_second_id_is_one_problem_and_never_replaces_the_first() {
        for add in [
            |b: &mut RowBuilder, id: &str| b.add_csv(Field::Id, id),
            |b: &mut RowBuilder, id: &str| b.add(Field::Id, RawCell::from_csv(id)),
        ] {
            let mut builder = RowBuilder::default();
            for id in ["1002", "7", "8"] {
                add(&mut builder, id);
            }
            let row = builder.finish();
            assert_eq!(row.record.id, Some(1002));
            let repeated: Vec<_> = (row.problems.iter())
                .filter(|p| p.field == "Id" && p.problem == Problem::Repeated)
                .collect();
            assert_eq!(repeated.len(), 1, "{:?}", row.problems);
        }
    }
}
