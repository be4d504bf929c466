//! `MODELS_DIR`: a folder whose `models.toml` lists the models to serve,
//! each by name and by an artifact path relative to the folder, and names
//! the champion and the challenger. Read at start-up and again by every
//! reload, so a deployment changes the set of models by editing one file
//! (and the artifacts beside it) rather than the process's environment.
//!
//! ```toml
//! champion = "v3"
//! challenger = "v4"
//!
//! [[model]]
//! name = "v3"
//! path = "regression_model_output_v0.3.0.postcard"
//!
//! [[model]]
//! name = "v4"
//! path = "v4/model.postcard"
//! ```
//!
//! `shipped = true` instead of `path` names the model embedded in the binary.

use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use super::layers::read_capped;
use super::models::{ModelEntry, ModelSettings, check_name};
use crate::error::{Error, clip};
use crate::model::ModelSource;

/// The file `MODELS_DIR` holds.
pub const MODELS_FILE: &str = "models.toml";

/// Largest `models.toml` read: at most 16 entries of a name and a path fit
/// in a few KiB; a folder pointed at the wrong place must not fill the
/// memory.
pub const MAX_MODELS_FILE_BYTES: u64 = 64 * 1024;

/// The folder of `MODELS_DIR` and the `MAX_MODELS` its listing must fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelsFolder {
    pub dir: PathBuf,
    pub max_models: usize,
}

/// The file as written: unknown keys are refused, so a misspelt
/// `challanger` is an error rather than a challenger silently missing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Listing {
    champion: Option<String>,
    challenger: Option<String>,
    #[serde(default)]
    model: Vec<Listed>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Listed {
    name: String,
    path: Option<String>,
    #[serde(default)]
    shipped: bool,
}

impl ModelsFolder {
    /// The listing's path, as start-up errors name it.
    pub fn file(&self) -> PathBuf {
        self.dir.join(MODELS_FILE)
    }

    /// Reads and checks `models.toml`: every entry named validly and once,
    /// its artifact a file inside the folder, no more than `max_models`,
    /// aliases that name entries. The artifacts themselves are verified by
    /// whoever loads them.
    ///
    /// # Errors
    /// [`Error::ConfigFile`] naming `models.toml` and, in the message, the
    /// entry at fault (the message holds no path but those in the file).
    pub fn read(&self) -> Result<ModelSettings, Error> {
        let file = self.file();
        let fail = |message: String| Error::ConfigFile {
            path: file.clone(),
            message,
        };
        let text = read_capped(
            &file,
            MAX_MODELS_FILE_BYTES,
            "a models.toml lists a few names and paths",
        )?;
        let listing: Listing = toml::from_str(&text)
            .map_err(|e: toml::de::Error| fail(clip(e.to_string().trim(), 400)))?;
        let mut entries: Vec<ModelEntry> = Vec::with_capacity(listing.model.len());
        for (index, listed) in listing.model.into_iter().enumerate() {
            let at = |problem: String| {
                fail(format!(
                    "[[model]] entry {} (`{}`): {problem}",
                    index + 1,
                    clip(&listed.name, 64)
                ))
            };
            check_name(&listed.name).map_err(at)?;
            if entries
                .iter()
                .any(|e| e.name.as_deref() == Some(&listed.name))
            {
                return Err(at("the name is given twice".into()));
            }
            if entries.len() == self.max_models {
                return Err(at(format!(
                    "more than MAX_MODELS ({}) models are listed",
                    self.max_models
                )));
            }
            let source = self.source(&listed).map_err(at)?;
            entries.push(ModelEntry {
                name: Some(listed.name),
                source,
            });
        }
        if entries.is_empty() {
            return Err(fail(
                "lists no model; add `[[model]]` tables with `name` and `path`".into(),
            ));
        }
        let find = |key: &str, value: &str| {
            entries
                .iter()
                .position(|e| e.name.as_deref() == Some(value))
                .ok_or_else(|| {
                    let names: Vec<&str> =
                        entries.iter().filter_map(|e| e.name.as_deref()).collect();
                    fail(format!(
                        "{key} = `{}` names no listed model; the models are: {}",
                        clip(value, 64),
                        names.join(", ")
                    ))
                })
        };
        let champion = match &listing.champion {
            Some(name) => find("champion", name)?,
            None => 0,
        };
        let challenger = match &listing.challenger {
            Some(name) => Some(find("challenger", name)?),
            None => None,
        };
        if challenger == Some(champion) {
            return Err(fail(
                "challenger names the champion; a challenger is another model".into(),
            ));
        }
        Ok(ModelSettings {
            entries,
            champion,
            challenger,
            max_models: self.max_models,
            folder: Some(self.clone()),
        })
    }

    /// Where an entry's model comes from: the embedded one, or a file that
    /// exists inside the folder.
    fn source(&self, listed: &Listed) -> Result<ModelSource, String> {
        let path = match (&listed.path, listed.shipped) {
            (None, true) => return Ok(ModelSource::Shipped),
            (Some(_), true) => return Err("give `path` or `shipped = true`, not both".into()),
            (None, false) => return Err("has no `path` (or `shipped = true`)".into()),
            (Some(path), false) => path,
        };
        let shown = clip(path, 200);
        let relative = Path::new(path);
        // Paths stay inside the folder: the folder is what is deployed, and
        // a listing copied elsewhere must not reach other files.
        if path.is_empty()
            || !relative
                .components()
                .all(|c| matches!(c, Component::Normal(_)))
        {
            return Err(format!(
                "path `{shown}` is not a relative path inside the folder (no `..`, not absolute)"
            ));
        }
        let full = self.dir.join(relative);
        if !full.is_file() {
            return Err(format!("path `{shown}` is not a file in the folder"));
        }
        // The text of the path stays inside; a symlink in the folder may
        // still lead out of it, so where it really leads is checked too
        // (symlinks that stay inside, like a Kubernetes volume's `..data`,
        // are fine).
        let inside = match (full.canonicalize(), self.dir.canonicalize()) {
            (Ok(real), Ok(root)) => real.starts_with(root),
            _ => false,
        };
        if !inside {
            return Err(format!(
                "path `{shown}` leads outside the folder (through a symlink); put the artifact itself in the folder"
            ));
        }
        Ok(ModelSource::InFolder(full))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(listing: &str, files: &[&str]) -> (tempfile::TempDir, ModelsFolder) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MODELS_FILE), listing).unwrap();
        for file in files {
            std::fs::write(dir.path().join(file), b"artifact").unwrap();
        }
        let folder = ModelsFolder {
            dir: dir.path().to_owned(),
            max_models: 2,
        };
        (dir, folder)
    }

    #[test]
    fn a_listing_gives_named_entries_inside_the_folder_and_the_aliases() {
        let (dir, folder) = folder(
            "champion = \"b\"\nchallenger = \"a\"\n[[model]]\nname = \"a\"\nshipped = true\n\
             [[model]]\nname = \"b\"\npath = \"b.postcard\"\n",
            &["b.postcard"],
        );

        let settings = folder.read().unwrap();

        assert_eq!(settings.entries[0].source, ModelSource::Shipped);
        assert_eq!(
            settings.entries[1].source,
            ModelSource::InFolder(dir.path().join("b.postcard"))
        );
        assert_eq!((settings.champion, settings.challenger), (1, Some(0)));
        assert_eq!(settings.folder, Some(folder));
    }

    #[test]
    fn a_bad_listing_is_refused_naming_the_entry_and_the_problem() {
        for (listing, words) in [
            (
                "[[model]]\nname = \"a\"\npath = \"a\"\nweight = 1\n",
                "unknown field `weight`",
            ),
            ("challanger = \"a\"\n", "unknown field `challanger`"),
            (
                "[[model]]\nname = \"a\"\npath = \"a\"\n[[model]]\nname = \"a\"\npath = \"a\"\n",
                "entry 2 (`a`): the name is given twice",
            ),
            (
                "[[model]]\nname = \"a\"\npath = \"gone\"\n",
                "entry 1 (`a`): path `gone` is not a file",
            ),
            (
                "[[model]]\nname = \"a\"\npath = \"../a\"\n",
                "not a relative path inside the folder",
            ),
            (
                "[[model]]\nname = \"a\"\npath = \"/a\"\n",
                "not a relative path inside the folder",
            ),
            ("[[model]]\nname = \"a\"\n", "entry 1 (`a`): has no `path`"),
            (
                "[[model]]\nname = \"champion\"\nshipped = true\n",
                "reserved",
            ),
            (
                "[[model]]\nname = \"a\"\nshipped = true\n[[model]]\nname = \"b\"\nshipped = true\n[[model]]\nname = \"c\"\nshipped = true\n",
                "entry 3 (`c`): more than MAX_MODELS (2)",
            ),
            (
                "challenger = \"z\"\n[[model]]\nname = \"a\"\nshipped = true\n",
                "challenger = `z` names no listed model; the models are: a",
            ),
            (
                "champion = \"a\"\nchallenger = \"a\"\n[[model]]\nname = \"a\"\nshipped = true\n",
                "challenger names the champion",
            ),
            ("", "lists no model"),
        ] {
            let (_dir, folder) = folder(listing, &["a"]);

            let error = folder.read().unwrap_err().to_string();

            assert!(error.contains(words), "{listing:?}: {error}");
            assert!(error.contains(MODELS_FILE), "{error}");
        }
    }

    #[test]
    fn a_listing_over_the_size_cap_is_refused_unread() {
        let padding = "#".repeat(MAX_MODELS_FILE_BYTES as usize + 1);
        let (_dir, folder) = folder(&padding, &[]);

        let error = folder.read().unwrap_err().to_string();

        assert!(error.contains("larger than 65536 bytes"), "{error}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_leading_outside_the_folder_is_refused_and_one_inside_is_taken() {
        let elsewhere = tempfile::tempdir().unwrap();
        let outside = elsewhere.path().join("other.postcard");
        std::fs::write(&outside, b"artifact").unwrap();
        let listing = "[[model]]\nname = \"a\"\npath = \"link.postcard\"\n";
        let (dir, folder) = folder(listing, &["a.postcard"]);
        let link = dir.path().join("link.postcard");

        std::os::unix::fs::symlink(&outside, &link).unwrap();
        let error = folder.read().unwrap_err().to_string();
        std::fs::remove_file(&link).unwrap();
        std::os::unix::fs::symlink("a.postcard", &link).unwrap();
        let settings = folder.read().unwrap();

        assert!(
            error.contains("entry 1 (`a`): path `link.postcard` leads outside the folder"),
            "{error}"
        );
        assert!(!error.contains("other.postcard"), "{error}");
        assert_eq!(settings.entries[0].source, ModelSource::InFolder(link));
    }
}
