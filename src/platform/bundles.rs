//! Fleet config on the platform thread: bundles fetched when the platform
//! asks for a config sync and taken through [`crate::fleet::Fleet`], and
//! bundles in force noticed expiring while the kiosk runs.

use super::{Client, ConfigData, PlatformEvent};

/// A bundle stops applying at its expiry, not only when it is offered:
/// when the bundles in force change by themselves (one expired), the
/// config in force now (the layers below it) goes to the UI and the
/// heartbeat reports why until a later bundle applies.
pub(super) fn expire_bundles(
    fleet: &crate::fleet::Fleet,
    in_force: &mut Option<Vec<tongban_platform_api::fleet::AppliedBundle>>,
    problem: &mut Option<tongban_platform_api::fleet::ConfigProblem>,
    emit: &mut dyn FnMut(PlatformEvent),
) {
    let now = chrono::Local::now().fixed_offset();
    let applied = fleet.applied_at(now);
    if in_force.as_ref() == Some(&applied) {
        return;
    }
    *in_force = Some(applied);
    if let Some(why) = fleet.problems_at(now).into_iter().next() {
        tracing::warn!(scope = %why.scope, version = why.version, reason = %why.reason, "fleet config bundle no longer applies");
        *problem = Some(why);
    }
    match fleet.load_at(now) {
        Ok(loaded) => emit(PlatformEvent::Config(ConfigData(std::sync::Arc::new(
            loaded.config,
        )))),
        Err(error) => tracing::error!(%error, "fleet config: the config in force cannot be loaded"),
    }
}

/// Fetches the bundle of each of the terminal's scopes and takes the new
/// ones (`Fleet::consider`): the UI gets the config in force after each
/// one applied or rolled back; a refusal or rollback is kept for the
/// heartbeat until a later bundle applies.
pub(super) fn sync_bundles(
    runtime: &tokio::runtime::Runtime,
    client: &Client,
    fleet: &crate::fleet::Fleet,
    tags: &mut std::collections::BTreeMap<String, String>,
    problem: &mut Option<tongban_platform_api::fleet::ConfigProblem>,
    emit: &mut dyn FnMut(PlatformEvent),
) {
    use crate::fleet::Outcome;
    let held = fleet.held();
    for scope in &fleet.scopes {
        let tag = tags.get(&scope.to_string()).map(String::as_str);
        let (bytes, etag) = match runtime.block_on(client.bundle(scope, tag)) {
            Ok(Some(found)) => found,
            Ok(None) => continue,
            Err(error) => {
                tracing::warn!(%scope, %error, "config bundle not fetched");
                continue;
            }
        };
        tags.insert(scope.to_string(), etag);
        if held.get(scope.layer()).is_some_and(|h| h.bytes == bytes) {
            continue;
        }
        match fleet.consider(scope, &bytes, chrono::Local::now().fixed_offset()) {
            Outcome::Applied {
                version, config, ..
            } => {
                tracing::info!(%scope, version, "fleet config applied");
                *problem = None;
                emit(PlatformEvent::Config(ConfigData(std::sync::Arc::new(
                    *config,
                ))));
            }
            Outcome::RolledBack {
                problem: why,
                config,
            } => {
                tracing::warn!(%scope, version = why.version, reason = %why.reason, "fleet config rolled back");
                *problem = Some(why);
                emit(PlatformEvent::Config(ConfigData(std::sync::Arc::new(
                    *config,
                ))));
            }
            Outcome::Refused(why) => *problem = Some(why),
        }
    }
}
