// One training per run folder. Two trainings into the same --out would overwrite each other's
// checkpoints and both report success, so training holds an advisory lock (flock) on
// <folder>/.aekit.lock for its whole life; the file records the holder's pid for the error
// message. The kernel drops the lock when the process ends, however it ends, so a killed run
// never leaves the folder locked.
//
// Once the lock is held, leftovers of a killed run are removed: atomic writes go through
// "<file>.tmp.<pid>" (io/atomic_file.h), and a kill between write and rename leaves that file
// behind. Only temp files whose writer process is gone are removed.
#pragma once
#include <string>

namespace aekit::run {

class RunFolderLock {
 public:
  // Creates the folder if needed, takes the lock and removes stale temp files. InputError
  // "DIR: another aekit training (pid N) is writing to this run folder" when it is held.
  explicit RunFolderLock(const std::string& dir);
  ~RunFolderLock();
  RunFolderLock(const RunFolderLock&) = delete;
  RunFolderLock& operator=(const RunFolderLock&) = delete;

 private:
  int fd_ = -1;
};

// Removes "<name>.tmp.<pid>" files in dir whose pid is not a running process (or is this
// process: nothing is being written while a run starts). Returns how many were removed.
int remove_stale_temp_files(const std::string& dir);

}  // namespace aekit::run
