//! `ai-drv serve`: the original ai-drv-server protocol (`/hash?req=`, `/drv?hash=`) and
//! ai-drv's own endpoints over the store, with one job per request no matter how many clients
//! ask at once.
