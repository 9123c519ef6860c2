"""Infrastructure: one-line user errors and argument types, atomic files and safe checkpoint loading, the
torch device and the seeds."""
