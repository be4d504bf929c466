//! WCAG contrast of every piece of text on the page, measured in the
//! browser from computed colours (SVG text by its fill), against the
//! nearest ancestor's background.

use fantoccini::Client;

/// WCAG 2 AA for normal text.
pub const MINIMUM: f64 = 4.5;

const SCRIPT: &str = r#"
function rgb(s) { var m = (s.match(/[\d.]+/g) || []).map(Number); return m; }
function lum(c) {
  var a = c.slice(0, 3).map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * a[0] + 0.7152 * a[1] + 0.0722 * a[2];
}
function background(el) {
  for (; el; el = el.parentElement) {
    var c = rgb(getComputedStyle(el).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c;
  }
  return [255, 255, 255];
}
var low = [];
document.querySelectorAll("body *").forEach(function (el) {
  var text = [].some.call(el.childNodes, function (n) { return n.nodeType === 3 && n.textContent.trim(); });
  if (!text || !el.getClientRects().length) return;
  var style = getComputedStyle(el);
  var fg = rgb(el instanceof SVGElement ? style.fill : style.color);
  var a = lum(fg), b = lum(background(el));
  var ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  low.push([ratio, el.tagName + " " + el.textContent.trim().slice(0, 40)]);
});
return low;
"#;

/// `(ratio, element)` for every text element below [`MINIMUM`].
pub async fn below_minimum(client: &Client) -> Vec<(f64, String)> {
    let measured = client
        .execute(SCRIPT, Vec::new())
        .await
        .expect("the contrast script runs");
    let pairs: Vec<(f64, String)> = serde_json::from_value(measured).expect("pairs");
    assert!(
        pairs.len() > 100,
        "the script measured the page's text: {}",
        pairs.len()
    );
    pairs
        .into_iter()
        .filter(|(ratio, _)| *ratio < MINIMUM)
        .collect()
}
