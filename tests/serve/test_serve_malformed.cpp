// A fixed list of malformed requests: each gets a 4xx with a one-line {"error": ...} naming the
// route, and the server goes on answering.
#include <gtest/gtest.h>

#include "draw/png.h"
#include "serve/serve_test_util.h"

using namespace aekit;
using namespace aekit::testing;
using nlohmann::json;

namespace {

struct Bad {
  const char* what;
  const char* path;
  std::string body, type;
  int status;
};

TEST(ServeMalformed, EachIsA4xxAndTheServerStillAnswers) {
  ScratchDir d;
  const std::string run = tiny_run(d, "vae_mnist.json");
  ServerUnderTest server(run);
  auto c = server.client();

  draw::Image img = draw::make_image(28, 28, 1, 128);
  const std::string png = draw::encode_png(img);
  const std::string huge_png = draw::encode_png(draw::make_image(3000, 3000, 1));  // 9 M pixels
  const std::string one_input = json{{"inputs", std::vector<float>(784, 0.5f)}}.dump();
  std::string nan_input = one_input;
  nan_input.replace(nan_input.find("0.5"), 3, "NaN");
  const std::string ten_mb(10u << 20, ' ');
  const std::vector<Bad> bad = {
      {"wrong content type", "/api/encode", one_input, "text/plain", 415},
      {"truncated PNG", "/api/encode", png.substr(0, png.size() / 2), "image/png", 400},
      {"not a PNG", "/api/encode", std::string(200, 'x'), "image/png", 400},
      {"huge dimensions", "/api/encode", huge_png, "image/png", 413},
      {"wrong latent length", "/api/decode", R"({"codes": [1, 2, 3]})", "application/json", 400},
      {"wrong input length", "/api/encode", R"({"inputs": [[0.5, 0.5]]})", "application/json", 400},
      {"NaN", "/api/encode", nan_input, "application/json", 400},
      {"overflowing number", "/api/decode", R"({"codes": [1e999]})", "application/json", 400},
      {"string value", "/api/decode", R"({"codes": ["a"]})", "application/json", 400},
      {"empty body", "/api/encode", "", "application/json", 400},
      {"10 MB body", "/api/encode", ten_mb, "application/json", 413},
      {"broken JSON", "/api/encode", R"({"inputs": [1, 2)", "application/json", 400},
      {"JSON not an object", "/api/encode", "[1, 2]", "application/json", 400},
      {"missing key", "/api/decode", R"({"inputs": [1]})", "application/json", 400},
      {"deep nesting", "/api/encode", "{\"inputs\": " + std::string(5000, '[') + std::string(5000, ']') + "}",
       "application/json", 400},
      {"batch over the limit", "/api/decode", "{\"codes\": " + json(std::vector<std::vector<float>>(300, std::vector<float>(20))).dump() + "}",
       "application/json", 413},
      {"bad generate n", "/api/generate", R"({"n": -3})", "application/json", 400},
      {"bad interpolation method", "/api/interpolate", R"({"a": [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0], "b": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1], "method": "cubic"})",
       "application/json", 400},
      {"too many steps", "/api/interpolate?steps=100000", R"({"inputs": [[0], [1]]})", "application/json", 400},
      {"bad score metric", "/api/score?metric=xyz", one_input, "application/json", 400},
      {"unknown route", "/api/nothing", "{}", "application/json", 404},
      {"point out of range", "/api/plane/decode", R"({"points": [[1]]})", "application/json", 400},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.what);
    auto r = c->Post(b.path, b.body, b.type.c_str());
    ASSERT_TRUE(r) << "no answer: " << httplib::to_string(r.error());
    EXPECT_EQ(r->status, b.status) << r->body;
    EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
    ASSERT_FALSE(r->body.empty());
    EXPECT_EQ(r->body.find('\n'), r->body.size() - 1) << "not one line: " << r->body;
    const json e = json::parse(r->body);
    const std::string msg = e.at("error").get<std::string>();
    EXPECT_NE(msg.find(b.path == std::string("/api/nothing") ? "/api/nothing" : std::string(b.path).substr(0, std::string(b.path).find('?'))),
              std::string::npos)
        << msg;
    // Still answering, on a fresh connection too.
    auto info = server.client()->Get("/api/info");
    ASSERT_TRUE(info);
    EXPECT_EQ(info->status, 200);
  }
  auto ok = c->Post("/api/encode", one_input, "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

}  // namespace
