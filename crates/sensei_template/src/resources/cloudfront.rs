//! Amazon CloudFront. STUB: filled in by the rule-catalog work.

use sensei_model::Inventory;

use super::Ctx;
use crate::template::Template;

/// Adds the model resources of one template resource of this service.
pub fn map(_cx: &Ctx<'_, '_>, _ty: &str, _inventory: &mut Inventory) {}

/// Links made once every resource is mapped.
pub fn finish(_template: &Template<'_>, _inventory: &mut Inventory) {}
