//! Amazon S3 Control: the account's Block Public Access settings, read once per account.

use aws_sdk_s3control::Client;
use aws_sdk_s3control::operation::get_public_access_block::GetPublicAccessBlockOutput;
use sensei_model::Setting;
use sensei_model::s3::{Bucket, PublicAccessBlock};

use crate::read::{Read, Reader, live};

/// The account's Block Public Access settings; `Got(None)`: the account has none
/// (`NoSuchPublicAccessBlockConfiguration`, not a gap).
pub async fn fetch_account_public_access_block(
    client: &Client,
    account: &str,
    reader: &mut Reader<'_>,
) -> Read<Option<PublicAccessBlock>> {
    let out = client.get_public_access_block().account_id(account).send().await;
    match reader.get_optional("GetPublicAccessBlock", out, &["NoSuchPublicAccessBlockConfiguration"]) {
        Read::Got(out) => Read::Got(out.as_ref().and_then(map_public_access_block)),
        Read::Failed(why) => Read::Failed(why),
    }
}

/// The four settings; a setting the answer leaves out is off.
pub fn map_public_access_block(out: &GetPublicAccessBlockOutput) -> Option<PublicAccessBlock> {
    out.public_access_block_configuration().map(|c| PublicAccessBlock {
        block_public_acls: live(c.block_public_acls().unwrap_or(false)),
        block_public_policy: live(c.block_public_policy().unwrap_or(false)),
        ignore_public_acls: live(c.ignore_public_acls().unwrap_or(false)),
        restrict_public_buckets: live(c.restrict_public_buckets().unwrap_or(false)),
    })
}

/// Gives every bucket the account's settings; when they could not be read, they are unknown and
/// each bucket lists the failed call in `unread`.
pub fn apply_to_buckets<'a>(
    buckets: impl IntoIterator<Item = &'a mut Bucket>,
    read: &Read<Option<PublicAccessBlock>>,
    unread: &[String],
) {
    for bucket in buckets {
        bucket.account_public_access_block = match read {
            Read::Got(block) => live(block.clone()),
            Read::Failed(why) => Setting::Unknown(why.clone()),
        };
        if let (Read::Failed(_), Some(origin)) = (read, bucket.resource.live.as_mut()) {
            for entry in unread {
                if !origin.unread.contains(entry) {
                    origin.unread.push(entry.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_s3control::types::PublicAccessBlockConfiguration;

    #[test]
    fn settings_left_out_are_off() {
        let out = GetPublicAccessBlockOutput::builder()
            .public_access_block_configuration(
                PublicAccessBlockConfiguration::builder().block_public_acls(true).block_public_policy(true).build(),
            )
            .build();
        let block = map_public_access_block(&out).unwrap();
        assert_eq!(block.block_public_acls, live(true));
        assert_eq!(block.ignore_public_acls, live(false));
        assert_eq!(block.restrict_public_buckets, live(false));
        assert!(map_public_access_block(&GetPublicAccessBlockOutput::builder().build()).is_none());
    }
}
