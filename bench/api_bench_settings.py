"""Settings of bench/api_bench.py: the portal's, plus the bare DRF views it compares
against (bench/api_bench_urls.py), and no throttle."""

from ntm_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.api_bench_urls"
NTM_API_RATE = "1000000/second"
