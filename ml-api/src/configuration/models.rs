//! The models one process serves (`MODELS`, or `MODELS_DIR`'s listing
//! ([`super::folder`]), or `MODEL_PATH`, or the shipped model), which of them answer as `champion` and `challenger`, and the
//! shadow scoring of the champion's traffic by the challenger. Checked once
//! here, so the registry ([`crate::models`]) only ever sees a valid list.

use std::path::PathBuf;

use super::folder::ModelsFolder;
use super::layers::{Layers, number, within};
use crate::error::Error;
use crate::model::ModelSource;

/// Names a model may not take: they are aliases, or routes beside the names.
pub const RESERVED_NAMES: [&str; 3] = ["champion", "challenger", "compare"];

/// Longest model name (it is a route segment and a metric label value).
pub const MAX_NAME_CHARS: usize = 64;

/// One model to load at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelEntry {
    /// The name given in `MODELS`; `None` (a single model): the artifact's
    /// own model version.
    pub name: Option<String>,
    pub source: ModelSource,
}

/// The models and their aliases, checked: at least one entry, at most
/// `max_models`, unique names, aliases that point at entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelSettings {
    pub entries: Vec<ModelEntry>,
    /// Index in `entries` of the model the unversioned routes use.
    pub champion: usize,
    /// Index of the model that shadows the champion and that
    /// `POST /admin/promote` swaps in; `None`: no challenger.
    pub challenger: Option<usize>,
    /// Most models one process holds (`MAX_MODELS`): bounds memory and
    /// the `model_version` label values of every metric.
    pub max_models: usize,
    /// `MODELS_DIR`: the folder these were listed in, which a reload reads
    /// again; `None` with `MODELS` or a single model.
    pub folder: Option<ModelsFolder>,
}

/// Shadow scoring of the champion's requests by the challenger.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShadowSettings {
    /// Share (0..=1) of champion requests also scored by the challenger.
    pub sample: f64,
    /// Requests waiting to be shadowed at most; past it they are dropped
    /// (and counted), never waited for.
    pub queue: usize,
    /// Body bytes waiting to be shadowed at most (a few large batches must
    /// not hold `SHADOW_QUEUE` × `MAX_BODY_BYTES`).
    pub queue_bytes: usize,
}

impl Default for ShadowSettings {
    fn default() -> Self {
        ShadowSettings {
            sample: 0.0,
            queue: 1024,
            queue_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Reads `MAX_MODELS`, `MODELS` (or `MODELS_DIR`, or `MODEL_PATH`),
/// `CHAMPION` and `CHALLENGER`.
///
/// # Errors
/// [`Error::Setting`] naming the setting that is wrong, [`Error::ConfigFile`]
/// naming `MODELS_DIR`'s `models.toml` and the entry at fault.
pub(super) fn models(layers: &Layers) -> Result<ModelSettings, Error> {
    let max_models = layers.parse("MAX_MODELS", 4, "a model count from 1 to 16", |v| {
        number(v).and_then(|n| within(n, 1, 16))
    })?;
    let folder = layers.parse(
        "MODELS_DIR",
        None,
        "a folder holding models.toml, without MODELS, MODEL_PATH, CHAMPION or CHALLENGER",
        |v| {
            // The listing names the models and both aliases; a second
            // source for any of them would leave a reload unsure which wins.
            match ["MODELS", "MODEL_PATH", "CHAMPION", "CHALLENGER"]
                .into_iter()
                .find(|other| layers.get(other).is_some())
            {
                Some(other) => Err(format!(
                    "MODELS_DIR and {other} cannot both be set: models.toml lists the models and names champion and challenger"
                )),
                None => Ok(Some(PathBuf::from(v))),
            }
        },
    )?;
    if let Some(dir) = folder {
        return ModelsFolder { dir, max_models }.read();
    }
    let model_path = layers.get("MODEL_PATH").map(PathBuf::from);
    let listed = layers.parse(
        "MODELS",
        None,
        "a list `name=path,name=path` (a path may be `shipped`); names of 1 to 64 letters, digits, `.`, `_` or `-`, unique, other than champion, challenger and compare",
        |v| {
            if model_path.is_some() {
                return Err("MODELS and MODEL_PATH (or --model) cannot both be set".into());
            }
            parse_list(v, max_models).map(Some)
        },
    )?;
    let entries = listed.unwrap_or_else(|| {
        vec![ModelEntry {
            name: None,
            source: model_path.map_or(ModelSource::Shipped, ModelSource::File),
        }]
    });
    let find = |key: &'static str, value: &str| -> Result<usize, Error> {
        entries
            .iter()
            .position(|e| e.name.as_deref() == Some(value))
            .ok_or_else(|| Error::Setting {
                setting: key.into(),
                problem: format!(
                    "`{}` is not a name in MODELS; expected one of: {}",
                    crate::error::clip(value, MAX_NAME_CHARS),
                    names(&entries)
                ),
            })
    };
    let champion = match layers.get("CHAMPION") {
        Some(name) => find("CHAMPION", name.trim())?,
        None => 0,
    };
    let challenger = match layers.get("CHALLENGER") {
        Some(name) => Some(find("CHALLENGER", name.trim())?),
        None => None,
    };
    if challenger == Some(champion) {
        return Err(Error::Setting {
            setting: "CHALLENGER".into(),
            problem: "names the same model as CHAMPION; a challenger is another model".into(),
        });
    }
    Ok(ModelSettings {
        entries,
        champion,
        challenger,
        max_models,
        folder: None,
    })
}

/// Reads `SHADOW_SAMPLE`, `SHADOW_QUEUE` and `SHADOW_QUEUE_BYTES`.
///
/// # Errors
/// [`Error::Setting`] naming the setting that is wrong, also a share above
/// 0 with no challenger to score it.
pub(super) fn shadow(layers: &Layers, models: &ModelSettings) -> Result<ShadowSettings, Error> {
    let default = ShadowSettings::default();
    let settings = ShadowSettings {
        sample: layers.parse("SHADOW_SAMPLE", 0.0, "a share between 0 and 1", |v| {
            number::<f64>(v).and_then(|share| {
                if (0.0..=1.0).contains(&share) {
                    Ok(share)
                } else {
                    Err(format!("{share} is not a share between 0 and 1"))
                }
            })
        })?,
        queue: layers.parse(
            "SHADOW_QUEUE",
            default.queue,
            "a request count from 1 to 65536",
            |v| number(v).and_then(|n| within(n, 1, 65_536)),
        )?,
        queue_bytes: layers.parse(
            "SHADOW_QUEUE_BYTES",
            default.queue_bytes,
            "a byte count from 65536 to 1073741824",
            |v| number(v).and_then(|n| within(n, 1 << 16, 1 << 30)),
        )?,
    };
    if settings.sample > 0.0 && models.challenger.is_none() {
        return Err(Error::Setting {
            setting: "SHADOW_SAMPLE".into(),
            problem: format!(
                "is {} but no CHALLENGER is set to score the shadowed requests",
                settings.sample
            ),
        });
    }
    Ok(settings)
}

fn parse_list(value: &str, max_models: usize) -> Result<Vec<ModelEntry>, String> {
    let mut entries: Vec<ModelEntry> = Vec::new();
    for item in value.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let Some((name, path)) = item.split_once('=') else {
            return Err(format!(
                "entry `{}` is not `name=path`",
                crate::error::clip(item, MAX_NAME_CHARS)
            ));
        };
        let (name, path) = (name.trim(), path.trim());
        check_name(name)?;
        if entries.iter().any(|e| e.name.as_deref() == Some(name)) {
            return Err(format!("the name `{name}` is given twice"));
        }
        if path.is_empty() {
            return Err(format!("entry `{name}` has no path"));
        }
        let source = match path {
            "shipped" => ModelSource::Shipped,
            path => ModelSource::Listed(PathBuf::from(path)),
        };
        entries.push(ModelEntry {
            name: Some(name.to_owned()),
            source,
        });
        if entries.len() > max_models {
            return Err(format!("more than MAX_MODELS ({max_models}) entries"));
        }
    }
    if entries.is_empty() {
        return Err("the list is empty".into());
    }
    Ok(entries)
}

pub(super) fn check_name(name: &str) -> Result<(), String> {
    let shown = crate::error::clip(name, MAX_NAME_CHARS);
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "the name `{shown}` is empty or longer than 64 characters"
        ));
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
    {
        return Err(format!(
            "the name `{shown}` holds a character other than letters, digits, `.`, `_` and `-`"
        ));
    }
    if RESERVED_NAMES.contains(&name) {
        return Err(format!("`{name}` is reserved (an alias or a route)"));
    }
    Ok(())
}

fn names(entries: &[ModelEntry]) -> String {
    let names: Vec<&str> = entries.iter().filter_map(|e| e.name.as_deref()).collect();
    if names.is_empty() {
        "none (MODELS is not set)".into()
    } else {
        names.join(", ")
    }
}
