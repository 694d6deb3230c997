//! Annotation files on disk: reading them strictly, writing them atomically, under a lock.
//!
//! - **Atomic writes.** [`write_atomic`] writes to a temporary file in the target's directory,
//!   flushes it to disk and renames it over the target: a reader (or a crash) sees the old file
//!   or the new one, never half of one. A process killed mid-write leaves at most a stray
//!   `.NAME.PID.N.tmp` file beside the target.
//! - **A lock.** [`FileLock`] holds an exclusive OS lock (`File::lock`, released by the kernel if
//!   the process dies) on `NAME.lock` beside the target for the whole read–modify–write of
//!   [`update`], so that two `annotate add` on one file both land. The lock file is removed on
//!   release; a waiter that wakes up on a removed lock file tries again.
//! - **Malformed input is never overwritten.** [`read`] refuses a file with any error finding and
//!   says where the first one is; the file stays as it is.
//! - **Paths.** The header names the text relative to the annotation file's directory, as a link
//!   in a web page does, so that the pair can be moved together.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::diagnostic::{Reporter, Severity};
use super::ident;
use super::json;
use super::model::{AnnotationFile, TextRef};
use super::schema;
use crate::error::{Error, Result};
use crate::text::{self, Document, LoadOptions};

/// A text loaded for anchoring: the document and the hash of its decoded text.
#[derive(Debug, Clone)]
pub struct LoadedText {
    /// The paragraphs.
    pub doc: Document,
    /// `sha256:` + hex of the decoded, LF-normalised text (see [`ident::text_hash`]).
    pub hash: String,
    /// The decoded, LF-normalised text (paragraph offsets point into it).
    pub text: String,
}

impl LoadedText {
    /// Loads and segments a text, hashing its decoded content.
    pub fn load(path: &Path, options: &LoadOptions) -> Result<Self> {
        let source = text::load(path, options)?;
        Ok(Self {
            hash: ident::text_hash(&source.text),
            doc: text::segment(&source)?,
            text: source.text,
        })
    }

    /// A text from memory (tests, generated revisions).
    pub fn from_text(path: &str, content: &str) -> Result<Self> {
        let source = text::Source::from_text(path, content);
        Ok(Self {
            hash: ident::text_hash(&source.text),
            doc: text::segment(&source)?,
            text: source.text,
        })
    }

    /// The header reference to this text from an annotation file at `annotation_file`.
    pub fn reference_from(&self, annotation_file: &Path) -> TextRef {
        TextRef {
            path: relative_path(annotation_file, &self.doc.path),
            hash: self.hash.clone(),
        }
    }
}

/// Reads an annotation file strictly: any error finding (syntax or schema) is an error naming
/// the file, line and column of the first one. Returns the file and its bytes as read.
pub fn read(path: &Path) -> Result<AnnotationFile> {
    let bytes = fs::read(path).map_err(|e| Error::io(path, e))?;
    parse(&path.display().to_string(), &bytes).map_err(|e| match e {
        Error::Invalid(message) => match not_json_hint(path, &bytes) {
            Some(hint) => Error::Invalid(format!("{message}; {hint}")),
            None => Error::Invalid(message),
        },
        e => e,
    })
}

/// The annotation file `collate annotate add` writes for a text when no `-o` is given:
/// `annotations/STEM.json`, STEM the text's file name without `.txt`.
pub fn default_file_for(text: &Path) -> PathBuf {
    let stem = text.file_name().map_or_else(
        || "annotations".into(),
        |n| n.to_string_lossy().trim_end_matches(".txt").to_string(),
    );
    PathBuf::from("annotations").join(format!("{stem}.json"))
}

/// For bytes that do not even begin like JSON (a text given where its annotation file belongs,
/// the commonest slip): where that text's annotations would be.
pub fn not_json_hint(path: &Path, bytes: &[u8]) -> Option<String> {
    let start = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .iter()
        .find(|b| !b.is_ascii_whitespace());
    if matches!(start, Some(b'{' | b'[') | None) {
        return None;
    }
    let default = default_file_for(path);
    let found = if default.is_file() {
        format!("its annotations are in {}", default.display())
    } else {
        format!(
            "`collate annotate add {}` writes its annotations to {}",
            path.display(),
            default.display()
        )
    };
    Some(format!(
        "this is not an annotation file (those are JSON) — if it is the text, {found}"
    ))
}

/// Parses the bytes of an annotation file strictly (see [`read`]).
pub fn parse(name: &str, bytes: &[u8]) -> Result<AnnotationFile> {
    let rep = Reporter::new(name, bytes);
    let root = json::parse(bytes).map_err(|e| {
        let (line, column) = rep.lines().line_col(bytes, e.offset);
        Error::Invalid(format!(
            "{name}:{line}:{column}: {} (the file was left untouched)",
            e.message
        ))
    })?;
    let (parsed, diags) = schema::read(&root, &rep);
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if let Some(first) = errors.first() {
        let more = match errors.len() {
            1 => String::new(),
            n => format!(
                " and {} more problem{}",
                n - 1,
                if n == 2 { "" } else { "s" }
            ),
        };
        return Err(Error::Invalid(format!(
            "{name}:{}:{}: {}{more} (the file was left untouched; `collate annotate validate {name}` lists every problem)",
            first.line, first.column, first.message
        )));
    }
    parsed
        .to_file()
        .ok_or_else(|| Error::Invalid(format!("{name}: not an annotation file")))
}

/// Where the text named by an annotation file's header is: its path joined to the annotation
/// file's directory (an absolute path is kept), tidied (`annotations/../texts/x.txt` →
/// `texts/x.txt`).
pub fn resolve_text_path(annotation_file: &Path, text_path: &str) -> PathBuf {
    let p = Path::new(text_path);
    if p.is_absolute() {
        return p.to_path_buf();
    }
    let dir = annotation_file.parent().unwrap_or(Path::new(""));
    tidy(&dir.join(p))
}

/// The path of `target` relative to the directory of `from_file`, with `/` separators.
pub fn relative_path(from_file: &Path, target: &Path) -> String {
    let dir = from_file.parent().filter(|d| !d.as_os_str().is_empty());
    let base = std::path::absolute(dir.unwrap_or(Path::new(".")))
        .map(|p| tidy(&p))
        .unwrap_or_default();
    let target_abs = std::path::absolute(target)
        .map(|p| tidy(&p))
        .unwrap_or_else(|_| target.to_path_buf());
    let (b, t): (Vec<_>, Vec<_>) = (
        base.components().collect(),
        target_abs.components().collect(),
    );
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return target_abs.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = vec!["..".to_string(); b.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// Removes `.` and resolves `..` against a preceding normal component, lexically.
pub fn tidy(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect()
}

static TEMP_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Writes `contents` to `path` atomically: a temporary file in the same directory, flushed to
/// disk, renamed over the target (whose permissions it keeps). Creates the directory if needed.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let name = path.file_name().map_or_else(
        || "annotations".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        if let Ok(meta) = fs::metadata(path) {
            fs::set_permissions(&tmp, meta.permissions())?;
        }
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Error::io(path, e));
    }
    #[cfg(unix)]
    if let Ok(d) = File::open(&dir) {
        // Makes the rename durable; failure to sync a directory is not worth failing the write.
        let _ = d.sync_all();
    }
    Ok(())
}

/// An exclusive lock on an annotation file, held until dropped.
#[derive(Debug)]
pub struct FileLock {
    file: File,
    path: PathBuf,
}

impl FileLock {
    /// Waits for and takes the lock of `target` (on `target.lock`).
    pub fn acquire(target: &Path) -> Result<Self> {
        let mut name = target.as_os_str().to_owned();
        name.push(".lock");
        let path = PathBuf::from(name);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        loop {
            let file = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)
                .map_err(|e| Error::io(&path, e))?;
            file.lock().map_err(|e| Error::io(&path, e))?;
            if still_linked(&file, &path) {
                return Ok(Self { file, path });
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        // Unlink while still holding the lock; waiters notice and retry on a fresh file.
        #[cfg(unix)]
        let _ = fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether `path` still names the file we locked (another process may have removed it).
#[cfg(unix)]
fn still_linked(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::metadata(path)) {
        (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn still_linked(_file: &File, _path: &Path) -> bool {
    true
}

/// Read–modify–write of an annotation file under its lock: reads it (or makes a new one with
/// `create` when it does not exist), applies `change`, and writes it back atomically when
/// `change` succeeds. A malformed file is an error and is left untouched.
pub fn update<T>(
    path: &Path,
    create: impl FnOnce() -> Result<AnnotationFile>,
    change: impl FnOnce(&mut AnnotationFile) -> Result<T>,
) -> Result<T> {
    let _lock = FileLock::acquire(path)?;
    let mut file = match fs::metadata(path) {
        Ok(_) => read(path)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create()?,
        Err(e) => return Err(Error::io(path, e)),
    };
    let out = change(&mut file)?;
    write_atomic(path, file.to_json().as_bytes())?;
    Ok(out)
}

/// [`update`] of a file that must exist: a missing file is an error (`NotFound`), and nothing is
/// made for it, not even its lock or its directory.
pub fn update_existing<T>(
    path: &Path,
    change: impl FnOnce(&mut AnnotationFile) -> Result<T>,
) -> Result<T> {
    let missing = || Error::NotFound {
        path: path.to_path_buf(),
    };
    if fs::metadata(path).is_err() {
        return Err(missing());
    }
    // Gone between the look and the lock: the same error.
    update(path, || Err(missing()), change)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Updating a file that is not there is an error that makes nothing.
    #[test]
    fn updating_a_missing_file_makes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join("a.json");
        let err = update_existing(&path, |_| Ok(())).unwrap_err();
        assert!(matches!(err, Error::NotFound { .. }), "{err}");
        assert!(!dir.path().join("sub").exists());
    }

    #[test]
    fn relative_paths_round_trip() {
        let ann = Path::new("annotations/communique.json");
        let text = Path::new("texts/joint-communique-1991.en.txt");
        let rel = relative_path(ann, text);
        assert_eq!(rel, "../texts/joint-communique-1991.en.txt");
        assert_eq!(resolve_text_path(ann, &rel), text);
        assert_eq!(
            relative_path(Path::new("x.json"), Path::new("t.txt")),
            "t.txt"
        );
        assert_eq!(tidy(Path::new("a/./b/../c")), Path::new("a/c"));
        assert_eq!(tidy(Path::new("../x")), Path::new("../x"));
    }

    #[test]
    fn atomic_write_replaces_and_keeps_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.json");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["a.json"]);
    }

    #[test]
    fn malformed_files_are_refused_with_a_place_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.json");
        fs::write(
            &path,
            "{\"format\": \"collate-annotations\",\n  \"version\": 1,,\n}",
        )
        .unwrap();
        let err = update(&path, || unreachable!(), |_| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("bad.json:2:16:"), "{err}");
        assert!(fs::read_to_string(&path).unwrap().contains(",,"));
        assert!(
            !dir.path().join("bad.json.lock").exists(),
            "lock released and removed"
        );
    }

    #[test]
    fn lock_is_exclusive_between_threads() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("t.json");
        let counter = std::sync::Arc::new(std::sync::Mutex::new((0, 0)));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (target, counter) = (target.clone(), counter.clone());
                std::thread::spawn(move || {
                    for _ in 0..20 {
                        let _lock = FileLock::acquire(&target).unwrap();
                        let mut c = counter.lock().unwrap();
                        c.0 += 1;
                        c.1 = c.1.max(c.0);
                        drop(c);
                        std::thread::yield_now();
                        counter.lock().unwrap().0 -= 1;
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(counter.lock().unwrap().1, 1, "never two holders at once");
    }
}
