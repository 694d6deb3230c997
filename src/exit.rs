//! Exit codes, as `diff` has them.

/// Success; for comparisons: the inputs are the same (after normalisation).
pub const SAME: u8 = 0;
/// Success, nothing to report (an alias of [`SAME`] for commands that do not compare).
pub const SUCCESS: u8 = 0;
/// The inputs differ, or a check found problems (validation errors, merge conflicts, orphans).
pub const DIFFERENT: u8 = 1;
/// Trouble: bad arguments, unreadable or malformed input, I/O errors.
pub const TROUBLE: u8 = 2;
