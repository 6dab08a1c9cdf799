// The MPI world of a data-parallel run: which process this is and how many train together.
//
// MPI is initialised only when a launcher started us (mpirun / mpiexec set OMPI_COMM_WORLD_SIZE,
// Slurm's srun sets PMIX_RANK or PMI_RANK). A plain `aekit train` never calls MPI_Init: Open MPI's
// singleton init starts a helper daemon (slow, prints warnings in some containers, fails where
// it cannot open sockets), and a single process needs none of it, so it runs exactly as before.
#pragma once

namespace aekit::dist {

// True when the environment shows an MPI launcher started this process.
bool launched_by_mpi();

// Initialises MPI for its lifetime when launched_by_mpi() (one per process: the train command
// owns it); otherwise does nothing and rank() / size() stay 0 / 1.
class Session {
 public:
  Session();
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

// This process's rank and the number of ranks (0 and 1 without MPI).
int rank();
int size();
// Ends every rank of the job with this exit code (MPI_Abort); a plain exit without MPI. Used on
// an error in one rank, so the others do not wait forever in a collective.
[[noreturn]] void abort_job(int code);

}  // namespace aekit::dist
