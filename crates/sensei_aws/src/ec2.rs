//! Amazon EC2: the regions enabled for the account (`--region all`), and the Availability Zones of
//! the subnets that VPC functions use.

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ec2::Client;
use sensei_model::Setting;
use sensei_model::lambda::{AvailabilityZone, Function};

use crate::Error;
use crate::gap;
use crate::read::{Read, Reader, live};

/// The regions enabled for the account (`DescribeRegions` without `AllRegions` leaves out the
/// opt-in regions that are not enabled), sorted. A failure stops the run: without it, there is
/// nothing to audit.
pub async fn fetch_regions(client: &Client, region: &str) -> Result<Vec<String>, Error> {
    match client.describe_regions().send().await {
        Ok(out) => {
            let names: BTreeSet<String> =
                out.regions().iter().filter_map(|r| r.region_name()).map(str::to_string).collect();
            if names.is_empty() {
                return Err(Error::Regions {
                    region: region.to_string(),
                    code: "NoRegions".to_string(),
                    message: "the answer names no region".to_string(),
                });
            }
            Ok(names.into_iter().collect())
        }
        Err(e) => {
            let (code, message) = gap::describe(&e);
            Err(Error::Regions { region: region.to_string(), code, message })
        }
    }
}

/// How many subnet ids one `DescribeSubnets` call names.
const SUBNETS_PER_CALL: usize = 100;

/// The Availability Zone of each subnet the functions use, read once for the region.
pub async fn fetch_subnet_zones(
    client: &Client,
    ids: &BTreeSet<String>,
    reader: &mut Reader<'_>,
) -> Read<BTreeMap<String, String>> {
    let mut zones = BTreeMap::new();
    let ids: Vec<String> = ids.iter().cloned().collect();
    for chunk in ids.chunks(SUBNETS_PER_CALL) {
        let page: Read<Vec<(String, String)>> = pages!(
            reader,
            "DescribeSubnets",
            client.describe_subnets().set_subnet_ids(Some(chunk.to_vec())),
            |p: &aws_sdk_ec2::operation::describe_subnets::DescribeSubnetsOutput| p
                .subnets()
                .iter()
                .filter_map(|s| Some((s.subnet_id()?.to_string(), s.availability_zone()?.to_string())))
                .collect::<Vec<_>>()
        );
        match page {
            Read::Got(list) => zones.extend(list),
            Read::Failed(why) => return Read::Failed(why),
        }
    }
    Read::Got(zones)
}

/// The subnet ids the functions are known to use.
pub fn subnet_ids(functions: &[Function]) -> BTreeSet<String> {
    functions.iter().filter_map(|f| f.subnets.known()).flatten().map(|s| s.subnet_id.clone()).collect()
}

/// Fills the zone of each subnet of the functions; when the read failed, the zones stay unknown
/// and each function that uses a subnet lists the failed call in `unread`.
pub fn map_subnet_zones(functions: &mut [Function], zones: &Read<BTreeMap<String, String>>, unread: &[String]) {
    for function in functions {
        let Setting::Known(subnets, _) = &mut function.subnets else { continue };
        if subnets.is_empty() {
            continue;
        }
        for subnet in subnets.iter_mut() {
            subnet.availability_zone = match zones {
                Read::Got(map) => match map.get(&subnet.subnet_id) {
                    Some(zone) => live(AvailabilityZone::Name(zone.clone())),
                    None => {
                        Setting::Unknown(format!("ec2:DescribeSubnets did not return subnet `{}`", subnet.subnet_id))
                    }
                },
                Read::Failed(why) => Setting::Unknown(why.clone()),
            };
        }
        if let (Read::Failed(_), Some(origin)) = (zones, function.resource.live.as_mut()) {
            for entry in unread {
                if !origin.unread.contains(entry) {
                    origin.unread.push(entry.clone());
                }
            }
        }
    }
}
