//! `code_enum!`: an enum whose values have stable short codes, the app's one way to write them
//! (survey respondent types, waves and Lead status; the cost calculator's fee model, training
//! basis and value mode). Codes are what records, files and links store; they never change.
//!
//! The macro writes the enum with the attributes given (derives, serde, docs) and `ALL` (every
//! value in order), `code()` and `from_code()`.

macro_rules! code_enum {
    ($(#[$attr:meta])* $vis:vis enum $name:ident { $($(#[$vattr:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$attr])*
        $vis enum $name { $($(#[$vattr])* $variant),+ }

        impl $name {
            /// Every value, in the order to show them.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The stable code stored in records, files and links.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The value with this code.
            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }
    };
}

pub(crate) use code_enum;
