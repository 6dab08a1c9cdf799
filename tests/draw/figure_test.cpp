// The same figure as PNG, SVG and PDF: written by extension, each readable by other tools
// (libpng, xmllint, poppler's pdftotext / pdftoppm) and showing the same content.
#include "draw/figure.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

#include "draw/axes.h"
#include "draw/draw_test_util.h"
#include "draw/plot.h"
#include "io/atomic_file.h"
#include "tensor/error.h"

namespace aekit::draw {
namespace {

using testing::TempDir;

Figure loss_figure() {
  PlotOptions opt;
  opt.title = "Training loss";
  opt.x_label = "epoch";
  opt.y_label = "loss";
  opt.integer_x = true;
  return line_plot({{"train", {1, 2, 3, 4, 5}, {0.9, 0.5, 0.35, 0.3, 0.28}},
                    {"validation", {1, 2, 3, 4, 5}, {0.95, 0.6, 0.45, 0.42, 0.41}}},
                   opt);
}

int run(const std::string& cmd) { return std::system((cmd + " >/dev/null 2>&1").c_str()); }

TEST(Figure, PngFileIsTheRenderedImage) {
  TempDir d("figure_png");
  const Figure f = loss_figure();
  write_figure(d.file("loss.png"), f);
  const Image back = read_png(d.file("loss.png"));
  EXPECT_EQ(back.width, 640);
  EXPECT_EQ(back.height, 420);
  EXPECT_EQ(back.pixels, f.to_image().pixels);
}

TEST(Figure, SvgIsValidXmlWithTheFiguresElements) {
  TempDir d("figure_svg");
  write_figure(d.file("loss.SVG"), loss_figure());  // extension in any case
  const std::string svg = io::read_file(d.file("loss.SVG"));
  ASSERT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_EQ(run("xmllint --noout " + d.file("loss.SVG")), 0) << "not well-formed XML";
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("width=\"640px\" height=\"420px\""), std::string::npos);
  // Glyph outlines for the text and the series drawn in their tab10 colours as vector paths.
  EXPECT_NE(svg.find("<symbol"), std::string::npos);
  EXPECT_NE(svg.find("<path"), std::string::npos);
  EXPECT_NE(svg.find("stroke:rgb(12.156863%,46.666667%,70.588235%)"), std::string::npos);  // 31,119,180
  EXPECT_NE(svg.find("stroke:rgb(100%,49.803922%,5.490196%)"), std::string::npos);          // 255,127,14
  EXPECT_EQ(svg.find("<image"), std::string::npos);  // nothing fell back to pixels
}

TEST(Figure, PdfHoldsTextAndRendersToThePageSize) {
  TempDir d("figure_pdf");
  write_figure(d.file("loss.pdf"), loss_figure());
  const std::string pdf = io::read_file(d.file("loss.pdf"));
  ASSERT_EQ(pdf.rfind("%PDF", 0), 0u);
  // Real text, not pictures of it: pdftotext finds the title, labels and tick numbers.
  ASSERT_EQ(run("pdftotext " + d.file("loss.pdf") + " " + d.file("loss.txt")), 0) << "pdftotext failed";
  const std::string text = io::read_file(d.file("loss.txt"));
  for (const char* s : {"Training loss", "epoch", "loss", "validation", "0.4", "0.8", "5"})
    EXPECT_NE(text.find(s), std::string::npos) << s << " missing in:\n" << text;
  // 6.4 x 4.2 in: at 100 dpi poppler draws the PNG's 640 x 420 pixels, with the series visible.
  ASSERT_EQ(run("pdftoppm -png -r 100 -singlefile " + d.file("loss.pdf") + " " + d.file("page")), 0);
  const Image page = read_png(d.file("page.png"));
  EXPECT_EQ(page.width, 640);
  EXPECT_EQ(page.height, 420);
  EXPECT_GT(testing::count_near(page, kPalette[0], 24), 200);
  EXPECT_GT(testing::count_near(page, kPalette[1], 24), 200);
}

TEST(Figure, UnknownExtensionIsAnInputErrorNamingThePath) {
  TempDir d("figure_ext");
  try {
    write_figure(d.file("loss.jpg"), loss_figure());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("loss.jpg"), std::string::npos) << e.what();
  }
  EXPECT_THROW(write_figure(d.file("noextension"), loss_figure()), InputError);
  EXPECT_FALSE(std::filesystem::exists(d.file("loss.jpg")));
}

}  // namespace
}  // namespace aekit::draw
