use super::*;
use crate::model::{ModelSource, verify};

fn model(name: &str) -> LoadedModel {
    let bytes = regression_model::shipped_bytes().unwrap();
    verify(bytes, "shipped", ModelSource::Shipped)
        .unwrap()
        .named(Some(name))
}

fn two() -> Models {
    Models::new(Roster::new(vec![model("a"), model("b")], 0, Some(1)).unwrap())
}

#[test]
fn a_model_resolved_before_a_promotion_is_the_one_the_request_keeps() {
    let models = two();
    let in_flight = models.resolve(CHAMPION).unwrap();

    let promoted = models.promote().unwrap();

    assert_eq!(&*in_flight.model.name, "a");
    assert_eq!(promoted.champion.name, "b");
    assert_eq!(&*models.current().unwrap().name, "b");
    assert!(
        in_flight.shadow.is_some(),
        "it was the champion when resolved"
    );
    assert!(
        models.resolve("a").unwrap().shadow.is_none(),
        "a is challenger now"
    );
    assert_eq!(&*models.promote().unwrap().champion.name, "a", "rollback");
}

#[test]
fn names_and_aliases_resolve_and_anything_else_is_unknown() {
    let models = two();

    assert_eq!(&*models.resolve("b").unwrap().model.name, "b");
    assert_eq!(&*models.resolve(CHALLENGER).unwrap().model.name, "b");
    let error = models.resolve("c").unwrap_err();
    assert!(
        matches!(error, Error::UnknownVersion(ref key) if key == "c"),
        "{error}"
    );
}

#[test]
fn promoting_without_a_challenger_changes_nothing() {
    let models = Models::single(model("a"));

    assert!(matches!(models.promote(), Err(Error::NoChallenger)));
    assert_eq!(&*models.current().unwrap().name, "a");
}
