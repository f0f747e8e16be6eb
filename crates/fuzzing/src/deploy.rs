//! `deploy_bytes`: arbitrary bytes through `Session::deploy`.

use shortcrust_vm::{DeployError, DeployOptions, OptLevel, gas, validate};

use crate::known_issues;
use crate::vm::{fresh_vm, session};

/// Deploys `data` as a contract into a fresh session and checks:
/// - the deploy returns `Ok` or a `DeployError` (never panics);
/// - it is refused exactly when the deploy-time validator refuses it, with the validator's error:
///   a module the validator accepts must instrument and compile (otherwise validation and the
///   engine disagree on what ABI v1 accepts);
/// - a refused deploy leaves the session's changes and base root as they were;
/// - an accepted one adds exactly that contract and its code, costs `gas::deploy_cost`, exposes
///   the same schema section as the validator saw, and a second deploy of the same code by the
///   same owner and nonce is refused with `AlreadyDeployed` and changes nothing.
pub fn deploy_bytes(data: &[u8]) {
    let vm = fresh_vm(OptLevel::Speed);
    let mut session = session(&vm);
    let root = session.base_root();
    let before = session.changes();
    let options = DeployOptions {
        owner: [7; 32],
        nonce: 1,
        ..DeployOptions::default()
    };
    let validated = validate::validate(data, vm.limits(), session.context().protocol_version);

    match session.deploy(data, options.clone()) {
        Err(refused) => {
            match &validated {
                Ok(_) if known_issues::malformed_name_section_refused(data, &refused) => {}
                Ok(_) => {
                    panic!("the validator accepts this module but the deploy refused it: {refused}")
                }
                Err(why) => assert_eq!(
                    why, &refused,
                    "the deploy refused the module for another reason than the validator"
                ),
            }
            assert_eq!(
                session.changes(),
                before,
                "a refused deploy changed the session"
            );
            assert_eq!(
                session.base_root(),
                root,
                "a refused deploy moved the base root"
            );
        }
        Ok(deployed) => {
            let info = match validated {
                Ok(info) => info,
                Err(why) => panic!("the deploy accepted a module the validator refuses: {why}"),
            };
            assert_eq!(deployed.gas_spent, gas::deploy_cost(data.len()));
            let changes = session.changes();
            assert_eq!(changes.contracts.len(), before.contracts.len() + 1);
            let meta = changes
                .contracts
                .get(&deployed.id)
                .expect("the deployed contract is in the session's changes");
            assert_eq!(meta.code_hash, deployed.code_hash);
            assert_eq!(meta.owner, options.owner);
            let code = changes
                .code
                .get(&deployed.code_hash)
                .expect("the deployed code is in the session's changes");
            assert_eq!(&code[..], data, "the stored code is not the deployed bytes");
            assert_eq!(changes.storage, before.storage, "a deploy wrote storage");
            let schema = session
                .contract_schema(deployed.id)
                .unwrap_or_else(|e| panic!("the schema of a deployed contract: {e}"));
            assert_eq!(schema, info.schema, "schema differs from the validator's");

            let again = session.deploy(data, options);
            assert_eq!(again, Err(DeployError::AlreadyDeployed(deployed.id)));
            assert_eq!(
                session.changes(),
                changes,
                "a refused second deploy changed the session"
            );
            assert_eq!(session.base_root(), root, "a deploy moved the base root");
        }
    }
}
