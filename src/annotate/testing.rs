//! Builders shared by the unit tests of the annotation modules.

use super::model::{Annotation, AnnotationFile, Body, Status, Target, TextRef};

/// A file on a fixed text holding the given annotations.
pub fn file(annotations: &[Annotation]) -> AnnotationFile {
    let mut f = AnnotationFile::new(TextRef {
        path: "t.txt".into(),
        hash: "sha256:0123456789abcdef".into(),
    });
    f.annotations = annotations.to_vec();
    f
}

/// A whole-paragraph annotation with a note.
pub fn note(id: &str, paragraph: &str, text: &str) -> Annotation {
    Annotation {
        id: id.to_string(),
        target: Target {
            paragraph: paragraph.to_string(),
            start: None,
            end: None,
            quote: None,
            paragraph_hash: None,
        },
        body: Body {
            note: Some(text.to_string()),
            ..Body::default()
        },
        creator: "tester".into(),
        created: "2024-01-01T00:00:00Z".into(),
        modified: "2024-01-01T00:00:00Z".into(),
        status: Status::Ok,
        provenance: None,
        conflict: None,
    }
}
