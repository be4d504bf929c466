use super::*;

fn elements(text: &str) -> Option<usize> {
    json(text.as_bytes(), 32).unwrap().top_level_elements
}

#[test]
fn nesting_is_counted_outside_strings_only() {
    let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
    assert!(matches!(
        json(deep.as_bytes(), 32),
        Err(Error::MalformedJson(_))
    ));
    let brackets_in_text = format!(r#"[{{"a": "{}\\\"["}}]"#, "[".repeat(40));
    assert!(json(brackets_in_text.as_bytes(), 32).is_ok());
}

#[test]
fn the_elements_of_the_top_level_list_are_counted() {
    assert_eq!(elements("[]"), Some(0));
    assert_eq!(elements(" [ ] "), Some(0));
    assert_eq!(elements("[{}]"), Some(1));
    assert_eq!(elements(r#"[{"a": [1, 2, 3]}, {"b": "x,y"}, {}]"#), Some(3));
    assert_eq!(elements(r#"{"a": 1, "b": 2}"#), None);
    assert_eq!(elements("42"), None);
}

#[test]
fn a_real_body_is_counted_as_a_byte_by_byte_scan_counts_it() {
    let houses = include_str!("../../../fixtures/requests/three-houses.json").trim();
    let records = houses.trim_start_matches('[').trim_end_matches(']');
    let many = format!("[{}]", vec![records; 40].join(",\n"));
    for text in [houses, many.as_str()] {
        let found = json(text.as_bytes(), 32).unwrap().top_level_elements;
        assert_eq!(Some(found), naive(text.as_bytes(), 32));
    }
    assert_eq!(elements(&many), Some(120));
}

/// The scan, byte by byte: the oracle for the quote-skipping one.
fn naive(bytes: &[u8], max_depth: usize) -> Option<Option<usize>> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    let (mut top_is_list, mut commas, mut any_element) = (None, 0usize, false);
    for &byte in bytes {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        if depth == 1 && top_is_list == Some(true) {
            match byte {
                b',' => commas += 1,
                b']' | b' ' | b'\t' | b'\n' | b'\r' => {}
                _ => any_element = true,
            }
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                if depth == 0 && top_is_list.is_none() {
                    top_is_list = Some(byte == b'[');
                }
                depth += 1;
                if depth > max_depth {
                    return None;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Some(match top_is_list {
        Some(true) => Some(if any_element { commas + 1 } else { 0 }),
        _ => None,
    })
}

proptest::proptest! {
    #[test]
    fn skipping_strings_finds_what_a_byte_by_byte_scan_finds(
        text in proptest::collection::vec(
            proptest::sample::select(b"[]{}\",\\ aaaaaaax\n:1".to_vec()),
            0..256,
        ),
    ) {
        let fast = json(&text, 4).ok().map(|shape| shape.top_level_elements);
        proptest::prop_assert_eq!(fast, naive(&text, 4));
    }

    /// Without backslashes every block of sixteen bytes takes the wide
    /// path (on x86-64), strings and all.
    #[test]
    fn sixteen_bytes_at_a_time_find_what_a_byte_by_byte_scan_finds(
        text in proptest::collection::vec(
            proptest::sample::select(b"[]{}\",, aaaaaaaaaaaax\n:1".to_vec()),
            0..600,
        ),
        max_depth in 1usize..12,
    ) {
        let fast = json(&text, max_depth).ok().map(|shape| shape.top_level_elements);
        proptest::prop_assert_eq!(fast, naive(&text, max_depth));
    }
}

#[test]
fn csv_records_are_lines_outside_quotes_and_skip_empty_lines() {
    assert_eq!(csv_records(b""), 0);
    assert_eq!(csv_records(b"Id\n1\n2\n"), 3);
    assert_eq!(csv_records(b"Id\n1\n2"), 3);
    assert_eq!(csv_records(b"Id\r\n\r\n1\r\n\n\n2\r\n"), 3);
    assert_eq!(
        csv_records(b"Id,Note\n1,\"two\nlines\"\n2,\"a \"\"quote\"\"\"\n"),
        3
    );
    assert_eq!(csv_records(b"Id,Note\n1,say \"hi\n2,x\n"), 3);
}

#[test]
fn csv_counts_agree_with_the_csv_reader() {
    let text = b"Id,MSZoning\n1,RL\n\n2,\"R\nM\"\n3,a\"b\n4,\"\"\n";
    let parsed = regression_model::read_csv(&text[..]).unwrap();
    assert_eq!(csv_records(text), parsed.rows.len() + 1);
}
