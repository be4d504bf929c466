//! The try-it form: every input, prefilled with a sample house, the model's
//! most important inputs first and the rest folded away in `<details>` by
//! the groups of `data_description.txt`. The page's script posts it as JSON.

use std::fmt::Write;
use std::sync::OnceLock;

use regression_model::{Column, ColumnKind};
use serde_json::{Map, Value};

use super::escape::Esc;
use super::groups::GROUPS;

/// Fields shown unfolded, taken from the top of the model's ranking.
const KEY_FIELDS: usize = 12;

/// The sample house: `fixtures/requests/one-house.json` (a synthetic row).
const SAMPLE: &str = include_str!("../../../fixtures/requests/one-house.json");

fn sample() -> &'static Map<String, Value> {
    static RECORD: OnceLock<Map<String, Value>> = OnceLock::new();
    RECORD.get_or_init(|| {
        // A unit test parses the same bytes, so this cannot fail in a build
        // that passed its tests; an empty form is the safe fallback anyway.
        match serde_json::from_str::<Vec<Map<String, Value>>>(SAMPLE) {
            Ok(mut records) if !records.is_empty() => records.swap_remove(0),
            _ => Map::new(),
        }
    })
}

/// The form's `<section>`; `ranked` lists inputs by importance (the first
/// [`KEY_FIELDS`] are shown unfolded).
pub fn render(ranked: &[Column]) -> String {
    let key: Vec<&str> = ranked.iter().take(KEY_FIELDS).map(|c| c.name()).collect();
    let mut html = String::with_capacity(40 * 1024);
    html.push_str(concat!(
        r#"<section id="try" aria-labelledby="try-h"><h2 id="try-h">Try it</h2>"#,
        r#"<p>Prefilled with a sample house (synthetic data). Change any field and ask for the price; "#,
        r#"an empty field is sent as missing.</p>"#,
        r#"<noscript><p class="warn">The form needs JavaScript; the API below takes the same record as JSON.</p></noscript>"#,
        r#"<form id="try-form" novalidate><fieldset><legend>Most important inputs</legend><div class="grid">"#,
    ));
    for group in GROUPS {
        for (name, description) in group.fields {
            if key.contains(name) {
                field(&mut html, name, description);
            }
        }
    }
    html.push_str("</div></fieldset>");
    for group in GROUPS {
        let rest: Vec<_> = group
            .fields
            .iter()
            .filter(|(name, _)| !key.contains(name))
            .collect();
        if rest.is_empty() {
            continue;
        }
        let _ = write!(
            html,
            r#"<details><summary>{} ({} fields)</summary><fieldset><legend class="sr-only">{0}</legend><div class="grid">"#,
            Esc(group.title),
            rest.len()
        );
        for (name, description) in rest {
            field(&mut html, name, description);
        }
        html.push_str("</div></fieldset></details>");
    }
    html.push_str(concat!(
        r#"<p><button type="submit" id="submit">Price this house</button></p></form>"#,
        r#"<div id="status" role="status" aria-live="polite"></div>"#,
        r#"<div id="result" hidden><p class="price">Predicted price: <output id="price"></output></p>"#,
        r#"<div id="waterfall"></div><details><summary>The request sent</summary><pre id="sent"></pre></details></div></section>"#,
    ));
    html
}

/// One labelled input with its description and an (empty) error slot.
fn field(html: &mut String, name: &str, description: &str) {
    let numeric = Column::from_name(name).is_some_and(|c| c.kind() == ColumnKind::Numeric);
    let value = match sample().get(name) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let (kind, mode) = if numeric {
        ("number", r#" inputmode="decimal""#)
    } else {
        ("label", "")
    };
    let (name, description, value) = (Esc(name), Esc(description), Esc(&value));
    let _ = write!(
        html,
        r#"<div class="field"><label for="f-{name}">{name}</label><input id="f-{name}" name="{name}" value="{value}" data-kind="{kind}"{mode} autocomplete="off" aria-describedby="d-{name} e-{name}"><small id="d-{name}">{description}</small><span class="err" id="e-{name}"></span></div>"#
    );
}

#[cfg(test)]
mod tests {
    use regression_model::Column;

    use super::{SAMPLE, render};

    #[test]
    fn the_sample_house_parses_and_prefills_the_form() {
        let records: Vec<serde_json::Value> = serde_json::from_str(SAMPLE).unwrap();
        assert_eq!(records.len(), 1);

        let html = render(&[Column::OverallQual]);

        assert!(html.contains(r#"name="LotArea" value="9772""#), "{html}");
        assert!(html.contains(r#"name="MSZoning" value="RL""#), "{html}");
        assert!(html.contains(r#"name="Alley" value="""#), "{html}");
    }

    #[test]
    fn the_ranked_fields_come_first_and_every_input_has_a_label() {
        let html = render(&[Column::GrLivArea, Column::OverallQual]);

        let first_details = html.find("<details>").unwrap();
        assert!(html.find(r#"id="f-GrLivArea""#).unwrap() < first_details);
        assert!(html.find(r#"id="f-OverallQual""#).unwrap() < first_details);
        for column in Column::ALL {
            let label = format!(r#"<label for="f-{}">"#, column.name());
            assert_eq!(html.matches(&label).count(), 1, "{}", column.name());
        }
    }
}
