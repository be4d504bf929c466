use super::*;

fn prediction() -> Prediction {
    Prediction {
        row: 3,
        id: Some(7),
        price: 200_000.0,
    }
}

#[test]
fn contributions_come_largest_first_without_zeros_and_with_factors_for_a_log_target() {
    let values = [
        ("LotArea", 0.01),
        ("Neighborhood", -0.2),
        ("Street", 0.0),
        ("GrLivArea", 0.2),
    ]
    .map(|(c, v)| (Cow::Borrowed(c), v));
    let e = Explanation::new(prediction(), 12.0, values, TargetTransform::Log);
    let order: Vec<&str> = e.contributions.iter().map(|c| c.column.as_ref()).collect();
    assert_eq!(order, ["GrLivArea", "Neighborhood", "LotArea"]);
    assert_eq!(e.contributions[1].factor, Some((-0.2f64).exp()));
    assert_eq!(e.base_price, 12.0f64.exp());
    assert!((e.output() - 12.01).abs() < 1e-12);
}

#[test]
fn an_untransformed_target_has_dollar_values_and_no_factor() {
    let values = [(Cow::Borrowed("LotArea"), 1500.0)];
    let e = Explanation::new(prediction(), 198_500.0, values, TargetTransform::None);
    assert_eq!(e.base_price, 198_500.0);
    assert_eq!(e.contributions[0].factor, None);
    let json = serde_json::to_string(&e.contributions[0]).unwrap();
    assert_eq!(json, r#"{"column":"LotArea","value":1500.0}"#);
}
