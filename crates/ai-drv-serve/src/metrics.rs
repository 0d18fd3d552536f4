//! The server's Prometheus metrics (OpenMetrics text at `GET /metrics`): requests by endpoint
//! and status, jobs by state, job durations, cache hits and misses, jobs running and waiting.
//!
//! Label values are `&'static str`s from a fixed set (never the raw path or prompt), so the
//! hot path records a request without allocating and the series stay few.

use ai_drv_store::JobState;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    endpoint: &'static str,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabels {
    state: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EndpointLabels {
    endpoint: &'static str,
}

/// Every metric the server keeps, and the registry that renders them.
#[derive(Debug)]
pub(crate) struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    jobs: Family<StateLabels, Gauge>,
    durations: Histogram,
    builds: Histogram,
    hits: Family<EndpointLabels, Counter>,
    misses: Family<EndpointLabels, Counter>,
    running: Gauge,
    queued: Gauge,
}

impl Metrics {
    /// New metrics, the job gauges starting from the store's counts.
    pub(crate) fn new(counts: &[(JobState, u64)]) -> Metrics {
        let mut registry = Registry::with_prefix("ai_drv");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by endpoint and status",
            requests.clone(),
        );
        let jobs = Family::<StateLabels, Gauge>::default();
        registry.register(
            "jobs",
            "Jobs in the store by state (counted at start, then kept up to date)",
            jobs.clone(),
        );
        for state in JobState::ALL {
            let count = counts
                .iter()
                .filter(|(s, _)| *s == state)
                .map(|(_, n)| *n)
                .sum::<u64>();
            jobs.get_or_create(&StateLabels {
                state: state.as_str(),
            })
            .set(i64::try_from(count).unwrap_or(i64::MAX));
        }
        // 0.5 s … ~68 min: from a cached engine answer to a long build with repairs.
        let durations = Histogram::new(exponential_buckets(0.5, 2.0, 14));
        registry.register(
            "job_duration_seconds",
            "How long jobs ran, from start to end",
            durations.clone(),
        );
        // 0.1 s … ~27 min: a cached build to a cold compile.
        let builds = Histogram::new(exponential_buckets(0.1, 2.0, 15));
        registry.register(
            "build_duration_seconds",
            "How long each build attempt of a job took (build and check)",
            builds.clone(),
        );
        let hits = Family::<EndpointLabels, Counter>::default();
        registry.register(
            "cache_hits",
            "Requests answered from memory without waiting for a job or the store",
            hits.clone(),
        );
        let misses = Family::<EndpointLabels, Counter>::default();
        registry.register(
            "cache_misses",
            "Requests that had to wait for a job or read the store",
            misses.clone(),
        );
        let running = Gauge::default();
        registry.register(
            "jobs_in_flight",
            "Jobs running now in this server",
            running.clone(),
        );
        let queued = Gauge::default();
        registry.register(
            "queue_length",
            "Jobs waiting for a worker in this server",
            queued.clone(),
        );
        Metrics {
            registry,
            requests,
            jobs,
            durations,
            builds,
            hits,
            misses,
            running,
            queued,
        }
    }

    pub(crate) fn request(&self, endpoint: &'static str, status: u16) {
        self.requests
            .get_or_create(&RequestLabels { endpoint, status })
            .inc();
    }

    pub(crate) fn hit(&self, endpoint: &'static str) {
        self.hits.get_or_create(&EndpointLabels { endpoint }).inc();
    }

    pub(crate) fn miss(&self, endpoint: &'static str) {
        self.misses
            .get_or_create(&EndpointLabels { endpoint })
            .inc();
    }

    fn state(&self, state: JobState) -> Gauge {
        self.jobs.get_or_create_owned(&StateLabels {
            state: state.as_str(),
        })
    }

    /// A job was created (queued).
    pub(crate) fn job_queued(&self) {
        self.state(JobState::Queued).inc();
        self.queued.inc();
    }

    /// A queued job started running.
    pub(crate) fn job_started(&self) {
        self.state(JobState::Queued).dec();
        self.queued.dec();
        self.state(JobState::Running).inc();
        self.running.inc();
    }

    /// A job ended; `was_running` says whether it had started (an interrupted job may not).
    /// The build attempts of a job that ended.
    pub(crate) fn attempts(&self, attempts: &[ai_drv_store::AttemptRecord]) {
        for attempt in attempts {
            self.builds.observe(attempt.duration_ms as f64 / 1000.0);
        }
    }

    pub(crate) fn job_ended(&self, was_running: bool, state: JobState, seconds: Option<f64>) {
        if was_running {
            self.state(JobState::Running).dec();
            self.running.dec();
        } else {
            self.state(JobState::Queued).dec();
            self.queued.dec();
        }
        self.state(state).inc();
        if let Some(seconds) = seconds {
            self.durations.observe(seconds);
        }
    }

    /// The OpenMetrics text of every metric.
    pub(crate) fn render(&self) -> Result<String, std::fmt::Error> {
        let mut out = String::with_capacity(4096);
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}
