"""The daily crawl on a schedule: the job function, leases, the scheduler service.

config/schedule.yaml is read and checked by newsmon.config (schemas/schedule.py).

  jobs.py      run_group(): lease + fire claim + runner.run_crawl, shared by the
               scheduled job and ``newsmon run-now``
  lease.py     the thread that renews a lease while its crawl runs
  executor.py  a thread-pool executor that tells the job which fire time it runs
  service.py   the scheduler process (``python scheduler.py`` / ``newsmon schedule``)
"""
