// The progress reporter: plain lines in logs (stderr not a terminal), nothing when quiet.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "train/progress.h"

namespace aekit::train {
namespace {

std::string read_all(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string s;
  char buf[256];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

int count_lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

TEST(Progress, LogGetsPlainLinesButNotForTheLastStep) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress p(2, 4, false, std::chrono::milliseconds(0), f);
  p.start_epoch(1);
  for (int s = 1; s <= 4; ++s) p.step(s, 0.5, 64 * s);
  p.end_epoch();
  const std::string out = read_all(f);
  std::fclose(f);
  EXPECT_EQ(count_lines(out), 3) << out;  // steps 1-3; step 4 is followed by the epoch summary
  EXPECT_NE(out.find("epoch 1/2  step 3/4  loss 0.50000"), std::string::npos) << out;
  EXPECT_EQ(out.find('\r'), std::string::npos) << "no terminal control codes in a log";
  EXPECT_EQ(out.find("\033"), std::string::npos);
}

TEST(Progress, LogLinesAreRateLimited) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress p(1, 1000, false, std::chrono::hours(1), f);
  p.start_epoch(1);
  for (int s = 1; s <= 1000; ++s) p.step(s, 0.1, s);
  p.end_epoch();
  EXPECT_EQ(read_all(f), "");
  std::fclose(f);
}

TEST(Progress, QuietPrintsNothing) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  Progress p(1, 3, true, std::chrono::milliseconds(0), f);
  p.start_epoch(1);
  for (int s = 1; s <= 3; ++s) p.step(s, 0.1, s);
  p.end_epoch();
  EXPECT_EQ(read_all(f), "");
  std::fclose(f);
}

}  // namespace
}  // namespace aekit::train
