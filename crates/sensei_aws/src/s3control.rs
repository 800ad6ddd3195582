//! Amazon S3 Control: the account's Block Public Access settings, read once per account, and its
//! access points: those of each region, and the Multi-Region Access Points.

use aws_sdk_s3control::Client;
use aws_sdk_s3control::operation::get_public_access_block::GetPublicAccessBlockOutput;
use aws_sdk_s3control::types::PublicAccessBlockConfiguration;
use futures_util::StreamExt as _;
use sensei_model::Setting;
use sensei_model::s3::{AccessPoint, AccessPointKind, Bucket, PublicAccessBlock};

use crate::read::{Read, Reader, live};
use crate::{CONCURRENCY_PER_SERVICE, Scope, live_ref};

/// The gap code of a call not made because its endpoint cannot work (an IP address).
pub const INVALID_ENDPOINT: &str = "InvalidEndpoint";

/// The region whose S3 Control endpoint answers for Multi-Region Access Points.
pub const MULTI_REGION_CONTROL: &str = "us-west-2";

/// An access point and the buckets it serves (one for a regional access point, each bucket of a
/// Multi-Region Access Point).
#[derive(Debug, Clone)]
pub struct ServedBy {
    pub buckets: Vec<String>,
    pub point: AccessPoint,
}

/// The account's Block Public Access settings; `Got(None)`: the account has none
/// (`NoSuchPublicAccessBlockConfiguration`, not a gap).
pub async fn fetch_account_public_access_block(
    client: &Client,
    unusable: Option<&str>,
    account: &str,
    reader: &mut Reader<'_>,
) -> Read<Option<PublicAccessBlock>> {
    if let Some(why) = unusable {
        return Read::Failed(reader.record("GetPublicAccessBlock", INVALID_ENDPOINT.to_string(), why.to_string()));
    }
    let out = client.get_public_access_block().account_id(account).send().await;
    match reader.get_optional("GetPublicAccessBlock", out, &["NoSuchPublicAccessBlockConfiguration"]) {
        Read::Got(out) => Read::Got(out.as_ref().and_then(map_public_access_block)),
        Read::Failed(why) => Read::Failed(why),
    }
}

/// The four settings; a setting the answer leaves out is off.
pub fn map_public_access_block(out: &GetPublicAccessBlockOutput) -> Option<PublicAccessBlock> {
    out.public_access_block_configuration().map(map_block)
}

fn map_block(c: &PublicAccessBlockConfiguration) -> PublicAccessBlock {
    PublicAccessBlock {
        block_public_acls: live(c.block_public_acls().unwrap_or(false)),
        block_public_policy: live(c.block_public_policy().unwrap_or(false)),
        ignore_public_acls: live(c.ignore_public_acls().unwrap_or(false)),
        restrict_public_buckets: live(c.restrict_public_buckets().unwrap_or(false)),
    }
}

/// The Block Public Access settings of an access point as an answer gives them: an answer without
/// them says nothing, so they are unknown.
fn point_block(c: Option<&PublicAccessBlockConfiguration>, call: &str) -> Setting<Option<PublicAccessBlock>> {
    match c {
        Some(c) => live(Some(map_block(c))),
        None => Setting::Unknown(format!("{call} did not return the Block Public Access settings")),
    }
}

/// The access points of one region (`ListAccessPoints`), each with its settings
/// (`GetAccessPoint`). A point whose details cannot be read is kept, its settings unknown.
pub async fn fetch_access_points(
    client: &Client,
    unusable: Option<&str>,
    region: &str,
    scope: &Scope,
    reader: &mut Reader<'_>,
) -> Read<Vec<ServedBy>> {
    if let Some(why) = unusable {
        return Read::Failed(reader.record("ListAccessPoints", INVALID_ENDPOINT.to_string(), why.to_string()));
    }
    use aws_sdk_s3control::operation::list_access_points::ListAccessPointsOutput;
    let listed: Read<Vec<(String, String, Option<String>)>> = pages!(
        reader,
        "ListAccessPoints",
        client.list_access_points().account_id(&scope.account),
        |p: &ListAccessPointsOutput| p
            .access_point_list()
            .iter()
            .map(|a| (a.name().to_string(), a.bucket().to_string(), a.access_point_arn().map(str::to_string)))
            .collect::<Vec<_>>()
    );
    let listed = match listed {
        Read::Got(list) => list,
        Read::Failed(why) => return Read::Failed(why),
    };
    let points = futures_util::stream::iter(listed)
        .map(|(name, bucket, arn)| async move {
            let arn = arn.unwrap_or_else(|| format!("arn:aws:s3:{region}:{}:accesspoint/{name}", scope.account));
            let mut reader = Reader::new("s3control", Some(region), Some(&arn), &scope.gaps);
            let got = client.get_access_point().account_id(&scope.account).name(&name).send().await;
            let block = match reader.get("GetAccessPoint", got) {
                Read::Got(out) => point_block(out.public_access_block_configuration(), "s3control:GetAccessPoint"),
                Read::Failed(why) => Setting::Unknown(why),
            };
            let resource = live_ref(&arn, "AWS::S3::AccessPoint", &scope.account, Some(region), None, reader.unread);
            ServedBy {
                buckets: vec![bucket],
                point: AccessPoint {
                    resource,
                    kind: AccessPointKind::Regional,
                    name: live(Some(name)),
                    public_access_block_configuration: block,
                },
            }
        })
        .buffered(CONCURRENCY_PER_SERVICE)
        .collect::<Vec<_>>()
        .await;
    Read::Got(points)
}

/// The account's Multi-Region Access Points (`ListMultiRegionAccessPoints`, answered in
/// us-west-2 for every region), with their settings and buckets.
pub async fn fetch_multi_region_access_points(
    client: &Client,
    unusable: Option<&str>,
    scope: &Scope,
    reader: &mut Reader<'_>,
) -> Read<Vec<ServedBy>> {
    if let Some(why) = unusable {
        return Read::Failed(reader.record(
            "ListMultiRegionAccessPoints",
            INVALID_ENDPOINT.to_string(),
            why.to_string(),
        ));
    }
    use aws_sdk_s3control::operation::list_multi_region_access_points::ListMultiRegionAccessPointsOutput;
    let account = &scope.account;
    pages!(
        reader,
        "ListMultiRegionAccessPoints",
        client.list_multi_region_access_points().account_id(account),
        |p: &ListMultiRegionAccessPointsOutput| p
            .access_points()
            .iter()
            .map(|m| {
                let alias = m.alias().or(m.name()).unwrap_or_default();
                let arn = format!("arn:aws:s3::{account}:accesspoint/{alias}");
                ServedBy {
                    buckets: m.regions().iter().filter_map(|r| r.bucket()).map(str::to_string).collect(),
                    point: AccessPoint {
                        resource: live_ref(&arn, "AWS::S3::MultiRegionAccessPoint", account, None, None, Vec::new()),
                        kind: AccessPointKind::MultiRegion,
                        name: live(m.name().map(str::to_string)),
                        public_access_block_configuration: point_block(
                            m.public_access_block(),
                            "s3control:ListMultiRegionAccessPoints",
                        ),
                    },
                }
            })
            .collect::<Vec<_>>()
    )
}

/// Gives each bucket the access points that serve it; when a listing that could hold them failed,
/// its access points are unknown and the bucket lists the failed call in `unread`.
pub fn apply_access_points(
    bucket: &mut Bucket,
    name: &str,
    regional: &Read<Vec<ServedBy>>,
    multi_region: &Read<Vec<ServedBy>>,
    unread: &[String],
) {
    let serves = |list: &Vec<ServedBy>| -> Vec<AccessPoint> {
        list.iter().filter(|s| s.buckets.iter().any(|b| b == name)).map(|s| s.point.clone()).collect()
    };
    bucket.access_points = match (regional, multi_region) {
        (Read::Got(r), Read::Got(m)) => {
            let mut points = serves(r);
            points.extend(serves(m));
            live(points)
        }
        (Read::Failed(why), _) | (_, Read::Failed(why)) => {
            if let Some(origin) = bucket.resource.live.as_mut() {
                for entry in unread {
                    if !origin.unread.contains(entry) {
                        origin.unread.push(entry.clone());
                    }
                }
            }
            Setting::Unknown(why.clone())
        }
    };
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

    fn served_by(name: &str, buckets: &[&str], kind: AccessPointKind) -> ServedBy {
        ServedBy {
            buckets: buckets.iter().map(|b| b.to_string()).collect(),
            point: AccessPoint {
                resource: live_ref(name, "AWS::S3::AccessPoint", "1", None, None, Vec::new()),
                kind,
                name: live(Some(name.to_string())),
                public_access_block_configuration: live(None),
            },
        }
    }

    fn bucket() -> Bucket {
        let reads = crate::s3::BucketReads::failed("not read in this test");
        crate::s3::map_bucket("data", "1", "us-east-1", None, &reads, Vec::new()).0
    }

    #[test]
    fn buckets_get_the_access_points_that_serve_them() {
        let regional = Read::Got(vec![
            served_by("ap-data", &["data"], AccessPointKind::Regional),
            served_by("ap-other", &["other"], AccessPointKind::Regional),
        ]);
        let multi = Read::Got(vec![served_by("mrap", &["other", "data"], AccessPointKind::MultiRegion)]);
        let mut b = bucket();
        apply_access_points(&mut b, "data", &regional, &multi, &[]);
        let ids: Vec<&str> = b.access_points.known().unwrap().iter().map(|p| p.resource.id.as_str()).collect();
        assert_eq!(ids, ["ap-data", "mrap"]);
        assert!(b.resource.live.as_ref().unwrap().unread.is_empty());

        // One listing failed: whether a point serves the bucket is unknown, never "none".
        let failed = Read::Failed("s3control:ListMultiRegionAccessPoints failed: AccessDenied".into());
        let mut b = bucket();
        apply_access_points(
            &mut b,
            "data",
            &regional,
            &failed,
            &["s3control:ListMultiRegionAccessPoints (AccessDenied)".into()],
        );
        assert!(matches!(b.access_points, Setting::Unknown(_)));
        assert!(
            b.resource
                .live
                .as_ref()
                .unwrap()
                .unread
                .contains(&"s3control:ListMultiRegionAccessPoints (AccessDenied)".to_string())
        );
    }

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
