"""Where units are built: ``local`` (a pool of worker processes on this machine) or
``dask`` (a Dask cluster, ``--scheduler``). Each is a ``build_all(units, options, jobs,
done, started)`` that hands back every ``Outcome`` and returns the peak memory in MB."""
