use crate::Location;

/// Where a known value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// Written in the template at this place.
    Declared(Location),
    /// Inherited from a SAM `Globals` section at this place.
    Globals(Location),
    /// Not written anywhere: the value AWS uses when the property is absent.
    Default,
    /// Read from the deployed resource.
    Live,
}

/// A property of a resource: known (with where it came from) or unknown (with why).
///
/// An unknown value must give the verdict `unknown`, never a guessed pass or fail.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting<T> {
    Known(T, Provenance),
    Unknown(String),
}

impl<T> Setting<T> {
    /// A value AWS applies when the property is absent.
    pub fn default_value(value: T) -> Self {
        Setting::Known(value, Provenance::Default)
    }

    /// The value, to change it in place, when it is known.
    pub fn known_mut(&mut self) -> Option<&mut T> {
        match self {
            Setting::Known(v, _) => Some(v),
            Setting::Unknown(_) => None,
        }
    }

    pub fn known(&self) -> Option<&T> {
        match self {
            Setting::Known(v, _) => Some(v),
            Setting::Unknown(_) => None,
        }
    }

    /// The place the value was written, if it was written somewhere.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Setting::Known(_, Provenance::Declared(l) | Provenance::Globals(l)) => Some(l),
            _ => None,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Setting<U> {
        match self {
            Setting::Known(v, p) => Setting::Known(f(v), p),
            Setting::Unknown(why) => Setting::Unknown(why),
        }
    }

    pub fn as_ref(&self) -> Setting<&T> {
        match self {
            Setting::Known(v, p) => Setting::Known(v, p.clone()),
            Setting::Unknown(why) => Setting::Unknown(why.clone()),
        }
    }
}

impl<T> Setting<Option<T>> {
    /// An absent property with no AWS default worth naming.
    pub fn absent() -> Self {
        Setting::Known(None, Provenance::Default)
    }
}
