#include "data/image_folder.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "image_test_util.h"

namespace aekit::data {
namespace {
using namespace datatest;
namespace fs = std::filesystem;

ImageFolderOptions opts(double test_fraction, uint64_t seed = 0, bool skip_bad = false) {
  ImageFolderOptions o;
  o.test_fraction = test_fraction, o.seed = seed, o.skip_bad = skip_bad;
  return o;
}

void add_png(const TempDir& d, const std::string& rel, int seed = 0) {
  fs::create_directories(fs::path(d.path(rel)).parent_path());
  write_file(d.path(rel), png_rgb8(4, 4, pattern_rgb(4, 4, seed)));
}

TEST(ImageFileList, SelectKeepsEachFilesPathLabelAndStamp) {
  ImageFileList a;
  a.add_folder("/data/cats");
  a.add("x.png", 0, 10, 100);
  a.add("y.png", 0, 11, 101);
  a.add_folder("/data/dogs/");  // a trailing slash is not doubled
  a.add("z.png", 1, 12, 102);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a.path(0), "/data/cats/x.png");
  EXPECT_EQ(a.path(2), "/data/dogs/z.png");
  const ImageFileList s = a.select({2, 0});
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].path, "/data/dogs/z.png");
  EXPECT_EQ(s[0].label, 1);
  EXPECT_EQ(s[0].bytes, 12);
  EXPECT_EQ(s[0].mtime_ns, 102);
  EXPECT_EQ(s[1].path, "/data/cats/x.png");
  a.add_folder("rel");  // a relative folder, an unlabelled file
  a.add("w.jpg", -1, 5, 6);
  ASSERT_EQ(a.size(), 4u);
  EXPECT_EQ(a[3].path, "rel/w.jpg");
  EXPECT_EQ(a[3].label, -1);
  EXPECT_EQ(a[1].path, "/data/cats/y.png");
  std::vector<std::string> paths;
  for (const ImageFile& f : a) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/data/cats/x.png", "/data/cats/y.png", "/data/dogs/z.png", "rel/w.jpg"}));
}

TEST(ImageFolder, SubfoldersAreSortedClassLabels) {
  TempDir d;
  add_png(d, "dogs/b.png");
  add_png(d, "cats/a.png");
  add_png(d, "cats/c.png");
  write_file(d.path("README.txt"), "not a sample: plain files beside class folders are ignored");
  write_file(d.path("cats/.DS_Store"), "hidden");
  const auto s = scan_image_folder(d.str(), opts(0));
  EXPECT_EQ(s.classes, (std::vector<std::string>{"cats", "dogs"}));
  ASSERT_EQ(s.train.size(), 3u);
  EXPECT_EQ(s.train[0].path, d.path("cats/a.png"));
  EXPECT_EQ(s.train[0].label, 0);
  EXPECT_EQ(s.train[2].label, 1);
  EXPECT_GT(s.train[0].bytes, 0);
  EXPECT_TRUE(s.test.empty());
}

TEST(ImageFolder, FlatFolderIsUnlabelled) {
  TempDir d;
  for (int i = 0; i < 3; ++i) add_png(d, "img" + std::to_string(i) + ".png", i);
  const auto s = scan_image_folder(d.str(), opts(0));
  EXPECT_TRUE(s.classes.empty());
  ASSERT_EQ(s.train.size(), 3u);
  for (const auto& f : s.train) EXPECT_EQ(f.label, -1);
}

TEST(ImageFolder, TrainAndTestSubfoldersDecideTheSplit) {
  TempDir d;
  add_png(d, "train/a/1.png");
  add_png(d, "train/b/2.png");
  add_png(d, "test/b/3.png");
  const auto s = scan_image_folder(d.str(), opts(0.5));
  EXPECT_EQ(s.classes, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(s.train.size(), 2u);
  ASSERT_EQ(s.test.size(), 1u);
  EXPECT_EQ(s.test[0].label, 1);  // train's numbering, though test/ has only "b"
  add_png(d, "test/zebra/4.png");
  expect_input_error([&] { scan_image_folder(d.str()); }, {"zebra", "not among train"});
}

TEST(ImageFolder, SeededSplitIsReproducibleAndDisjoint) {
  TempDir d;
  for (int i = 0; i < 40; ++i) add_png(d, "c" + std::to_string(i % 2) + "/" + std::to_string(i) + ".png", i);
  const auto a = scan_image_folder(d.str(), opts(0.25, 3));
  const auto b = scan_image_folder(d.str(), opts(0.25, 3));
  const auto c = scan_image_folder(d.str(), opts(0.25, 4));
  ASSERT_EQ(a.test.size(), 10u);
  ASSERT_EQ(a.train.size(), 30u);
  std::set<std::string> seen;
  for (const auto& f : a.train) seen.insert(f.path);
  for (const auto& f : a.test) EXPECT_TRUE(seen.insert(f.path).second) << f.path << " in both";
  for (size_t i = 0; i < a.test.size(); ++i) EXPECT_EQ(a.test[i].path, b.test[i].path);
  bool differs = false;
  for (size_t i = 0; i < a.test.size(); ++i) differs |= a.test[i].path != c.test[i].path;
  EXPECT_TRUE(differs) << "another seed should hold out other files";
}

TEST(ImageFolder, BadEntriesAreErrorsOrSkippedAndListed) {
  TempDir d;
  add_png(d, "a/good.png");
  write_file(d.path("a/notes.txt"), "text");
  write_file(d.path("a/zero.png"), "");
  fs::create_directories(d.path("empty_class"));
  expect_input_error([&] { scan_image_folder(d.str(), opts(0)); }, {"notes.txt", "not an image"});
  fs::remove(d.path("a/notes.txt"));
  expect_input_error([&] { scan_image_folder(d.str(), opts(0)); }, {"zero.png", "0 bytes"});
  fs::remove(d.path("a/zero.png"));
  expect_input_error([&] { scan_image_folder(d.str(), opts(0)); }, {"empty_class", "empty class"});
  write_file(d.path("a/notes.txt"), "text");
  write_file(d.path("a/zero.png"), "");
  const auto s = scan_image_folder(d.str(), opts(0, 0, true));
  EXPECT_EQ(s.classes, (std::vector<std::string>{"a"}));
  EXPECT_EQ(s.train.size(), 1u);
  ASSERT_EQ(s.skipped.size(), 3u);
  EXPECT_NE(s.skipped[0].find("notes.txt"), std::string::npos);
}

TEST(ImageFolder, EmptyOrMissingFolderIsAnError) {
  TempDir d;
  expect_input_error([&] { scan_image_folder(d.str(), opts(0.1, 0, true)); }, {d.str(), "no images"});
  expect_input_error([&] { scan_image_folder(d.path("nope")); }, {"nope", "not a folder"});
}

}  // namespace
}  // namespace aekit::data
