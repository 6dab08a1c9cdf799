// The progress reporter: plain lines in logs (stderr not a terminal), nothing when quiet.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "train/progress.h"

namespace aekit::train {
namespace {

// What one epoch of `steps` steps prints to a file (not a terminal).
std::string printed(int steps, bool quiet, std::chrono::milliseconds interval) {
  std::FILE* f = std::tmpfile();
  if (!f) return "tmpfile failed";
  Progress p(2, steps, quiet, interval, f);
  p.start_epoch(1);
  for (int s = 1; s <= steps; ++s) p.step(s, 0.5, 64 * s);
  p.end_epoch();
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[256];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(Progress, LogGetsPlainLinesButNotForTheLastStep) {
  const std::string out = printed(4, false, std::chrono::milliseconds(0));
  EXPECT_EQ(count_lines(out), 3) << out;  // steps 1-3; step 4 is followed by the epoch summary
  EXPECT_NE(out.find("epoch 1/2  step 3/4  loss 0.50000"), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos) << "no terminal control codes in a log";
  EXPECT_EQ(out.find("\033"), std::string::npos);
}

TEST(Progress, LogLinesAreRateLimited) { EXPECT_EQ(printed(1000, false, std::chrono::hours(1)), ""); }

TEST(Progress, QuietPrintsNothing) { EXPECT_EQ(printed(3, true, std::chrono::milliseconds(0)), ""); }

}  // namespace
}  // namespace aekit::train
