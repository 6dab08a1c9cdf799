// The model server's JSON / PNG API on a briefly trained VAE: answers agree with the library's
// Model, PNG uploads and outputs work, batches and concurrency, and a run being trained.
#include <gtest/gtest.h>

#include <atomic>
#include <algorithm>
#include <cmath>

#include "draw/png.h"
#include "kernels/precision.h"
#include "serve/model_pool.h"
#include "serve/serve_test_util.h"

using namespace aekit;
using namespace aekit::testing;
using nlohmann::json;

namespace {

std::vector<float> flat(const json& rows) {
  std::vector<float> out;
  for (const auto& r : rows)
    for (const auto& v : r) out.push_back(v.get<float>());
  return out;
}

void expect_near(const std::vector<float>& a, const std::vector<float>& b, float tol) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], tol) << "element " << i;
}

class ServeApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir;
    run_ = new std::string(tiny_run(*dir_, "vae_mnist.json"));
  }
  static void TearDownTestSuite() {
    delete run_;
    delete dir_;
  }
  static ScratchDir* dir_;
  static std::string* run_;
};
ScratchDir* ServeApi::dir_ = nullptr;
std::string* ServeApi::run_ = nullptr;

TEST_F(ServeApi, AnswersAgreeWithTheLibraryModel) {
  ServerUnderTest server(*run_);
  auto c = server.client();
  aekit::Model m = aekit::Model::load(*run_);
  const std::vector<float> x = pattern_inputs(3);

  auto info = c->Get("/api/info");
  ASSERT_TRUE(info);
  ASSERT_EQ(info->status, 200) << info->body;
  const json i = json::parse(info->body);
  EXPECT_EQ(i["code_size"], 20);
  EXPECT_EQ(i["input_shape"], json({1, 28, 28}));
  EXPECT_TRUE(i["is_vae"].get<bool>());
  EXPECT_EQ(i["one_sample_encoder"], "frozen");
  EXPECT_EQ(i["precision"], "fp32");  // the precision the run trained in
  EXPECT_EQ(i["metrics"].size(), 1u);
  EXPECT_NE(i["loss_conventions"][0].get<std::string>().find("loss bce"), std::string::npos);
  EXPECT_EQ(i["explorer"]["points"], 300);
  EXPECT_NE(i["explorer"]["projection"].get<std::string>().find("PCA of the 20-D codes"), std::string::npos);

  // One sample goes through the frozen encoder, a batch through the model: both match Model.
  const std::vector<float> z = m.encode(x, 3);
  auto one = c->Post("/api/encode", json{{"inputs", std::vector<float>(x.begin(), x.begin() + 784)}}.dump(),
                     "application/json");
  ASSERT_EQ(one->status, 200) << one->body;
  expect_near(flat(json::parse(one->body)["codes"]), std::vector<float>(z.begin(), z.begin() + 20), 1e-4f);
  auto batch = c->Post("/api/encode", "{\"inputs\": " + json_rows(x, 784) + "}", "application/json");
  ASSERT_EQ(batch->status, 200) << batch->body;
  expect_near(flat(json::parse(batch->body)["codes"]), z, 1e-5f);

  auto dec = c->Post("/api/decode", "{\"codes\": " + json_rows(z, 20) + "}", "application/json");
  ASSERT_EQ(dec->status, 200) << dec->body;
  const json d = json::parse(dec->body);
  EXPECT_EQ(d["shape"], json({1, 28, 28}));
  expect_near(flat(d["outputs"]), m.decode(z, 3), 1e-5f);

  auto sc = c->Post("/api/score", "{\"inputs\": " + json_rows(x, 784) + "}", "application/json");
  ASSERT_EQ(sc->status, 200) << sc->body;
  expect_near(json::parse(sc->body)["scores"].get<std::vector<float>>(), m.score(x, 3), 1e-5f);

  // Reconstructions as one PNG: a 3-tile grid of 28x28 images with 2-pixel padding.
  auto rec = c->Post("/api/reconstruct?format=png", "{\"inputs\": " + json_rows(x, 784) + "}", "application/json");
  ASSERT_EQ(rec->status, 200) << rec->body;
  EXPECT_EQ(rec->get_header_value("Content-Type"), "image/png");
  const draw::Image grid = draw::decode_png(rec->body, "reconstruct");
  EXPECT_EQ(grid.width, 3 * 28 + 4 * 2);
  EXPECT_EQ(grid.height, 28 + 2 * 2);
  const std::vector<float> r = m.reconstruct(x, 3);
  EXPECT_NEAR(grid.at(2 + 28 + 2 + 5, 2 + 7)[0], std::lround(std::clamp(r[784 + 7 * 28 + 5], 0.0f, 1.0f) * 255), 1);
}

// The largest |a - b| over two equally long vectors.
float max_difference(const std::vector<float>& a, const std::vector<float>& b) {
  EXPECT_EQ(a.size(), b.size());
  float d = 0;
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) d = std::max(d, std::fabs(a[i] - b[i]));
  return d;
}

// --precision bf16: one-sample encodes (the frozen encoder) and batches (the model) compute in
// bf16, as `eval --precision bf16` does: near the fp32 model's answers but not equal to them, so a server silently computing fp32
// fails. Without bf16 in the CPU the server says fp32 and answers as fp32. A run trained in bf16
// is served in bf16 unless told otherwise.
TEST_F(ServeApi, Bf16PrecisionComputesEveryRequestInBf16) {
  serve::ServeOptions o = ServerUnderTest::options_for(*run_);
  o.snapshot.precision = kernels::Precision::bf16;
  ServerUnderTest server(o);
  auto c = server.client();
  aekit::Model m = aekit::Model::load(*run_);
  const bool bf16 = kernels::cpu_has_bf16();
  EXPECT_EQ(json::parse(c->Get("/api/info")->body)["precision"], bf16 ? "bf16" : "fp32");

  // Batches of 8: dense products of 1-4 rows are fp32 in either precision (docs/precision.md).
  const std::vector<float> x = pattern_inputs(8), z = m.encode(x, 8), y = m.decode(z, 8);
  auto one = c->Post("/api/encode", json{{"inputs", std::vector<float>(x.begin(), x.begin() + 784)}}.dump(),
                     "application/json");
  auto batch = c->Post("/api/encode", "{\"inputs\": " + json_rows(x, 784) + "}", "application/json");
  auto dec = c->Post("/api/decode", "{\"codes\": " + json_rows(z, 20) + "}", "application/json");
  for (const auto* r : {&one, &batch, &dec}) ASSERT_EQ((*r)->status, 200) << (*r)->body;
  const std::vector<float> z1 = flat(json::parse(one->body)["codes"]), zb = flat(json::parse(batch->body)["codes"]),
                           yb = flat(json::parse(dec->body)["outputs"]);
  const std::vector<float> z_first(z.begin(), z.begin() + 20);
  // bf16 keeps 8 significant bits: codes of size ~1 move by ~1e-2, sigmoid outputs by less.
  const float code_tol = bf16 ? 0.1f : 1e-4f, out_tol = bf16 ? 0.05f : 1e-5f;
  EXPECT_LT(max_difference(z1, z_first), code_tol);
  EXPECT_LT(max_difference(zb, z), code_tol);
  EXPECT_LT(max_difference(yb, y), out_tol);
  if (bf16) {
    EXPECT_GT(max_difference(z1, z_first), 1e-5f) << "the one-sample encoder computed in fp32";
    EXPECT_GT(max_difference(zb, z), 1e-5f) << "a batch encode computed in fp32";
    EXPECT_GT(max_difference(yb, y), 1e-6f) << "a decode computed in fp32";
  }

  ScratchDir d;
  aekit::TrainSettings s;
  s.config = source_path("configs/vanilla_mnist.json");
  s.data = source_path("data/mnist");
  s.out_dir = d / "bf16run";
  s.limit = 128;
  s.epochs = 1;
  s.precision = "bf16";
  aekit::train_run(s);
  EXPECT_EQ(serve::ModelPool(s.out_dir, 1).precision(), bf16 ? kernels::Precision::bf16 : kernels::Precision::fp32);
  EXPECT_EQ(serve::ModelPool(s.out_dir, 1, kernels::Precision::fp32).precision(), kernels::Precision::fp32);
}

TEST_F(ServeApi, PngUploadsEncodeLikeTheirPixels) {
  ServerUnderTest server(*run_);
  auto c = server.client();
  draw::Image img = draw::make_image(28, 28, 1);
  std::vector<float> x(784);
  for (int p = 0; p < 784; ++p) {
    img.pixels[p] = static_cast<uint8_t>((p * 7) % 256);
    x[p] = img.pixels[p] / 255.0f;
  }
  const std::string png = draw::encode_png(img);
  auto as_png = c->Post("/api/encode", png, "image/png");
  ASSERT_EQ(as_png->status, 200) << as_png->body;
  auto as_json = c->Post("/api/encode", json{{"inputs", x}}.dump(), "application/json");
  expect_near(flat(json::parse(as_png->body)["codes"]), flat(json::parse(as_json->body)["codes"]), 1e-6f);

  // Two files in one multipart request are a batch of two; a 56x56 image is resized to 28x28.
  draw::Image big = draw::resize_bilinear(img, 56, 56);
  httplib::MultipartFormDataItems items = {{"a", png, "a.png", "image/png"},
                                           {"b", draw::encode_png(big), "b.png", "image/png"}};
  auto multi = c->Post("/api/encode", items);
  ASSERT_EQ(multi->status, 200) << multi->body;
  EXPECT_EQ(json::parse(multi->body)["codes"].size(), 2u);
}

TEST_F(ServeApi, GenerateAndInterpolate) {
  ServerUnderTest server(*run_);
  auto c = server.client();
  aekit::Model m = aekit::Model::load(*run_);
  auto g1 = c->Post("/api/generate", R"({"n": 4, "seed": 7})", "application/json");
  auto g2 = c->Post("/api/generate", R"({"n": 4, "seed": 7})", "application/json");
  auto g3 = c->Post("/api/generate", R"({"n": 4, "seed": 8})", "application/json");
  ASSERT_EQ(g1->status, 200) << g1->body;
  EXPECT_EQ(g1->body, g2->body);
  EXPECT_NE(g1->body, g3->body);
  const json g = json::parse(g1->body);
  expect_near(flat(g["outputs"]), m.decode(flat(g["codes"]), 4), 1e-5f);

  std::vector<float> a(20, 0.0f), b(20, 0.0f);
  a[0] = 2;
  b[1] = 2;
  for (const char* method : {"linear", "spherical"}) {
    auto r = c->Post("/api/interpolate", json{{"a", a}, {"b", b}, {"steps", 5}, {"method", method}}.dump(),
                     "application/json");
    ASSERT_EQ(r->status, 200) << r->body;
    const json j = json::parse(r->body);
    ASSERT_EQ(j["codes"].size(), 5u);
    expect_near(j["codes"][0].get<std::vector<float>>(), a, 1e-6f);
    expect_near(j["codes"][4].get<std::vector<float>>(), b, 1e-6f);
    // Halfway: the straight line's midpoint has norm sqrt(2), the arc's keeps norm 2.
    const std::vector<float> mid = j["codes"][2].get<std::vector<float>>();
    EXPECT_NEAR(std::hypot(mid[0], mid[1]), std::string(method) == "linear" ? std::sqrt(2.0) : 2.0, 1e-5);
    expect_near(flat(j["outputs"]), m.decode(flat(j["codes"]), 5), 1e-5f);
  }
  auto strip = c->Post("/api/interpolate?format=png&pad=0",
                       json{{"inputs", json::parse(json_rows(pattern_inputs(2), 784))}, {"steps", 6}}.dump(),
                       "application/json");
  ASSERT_EQ(strip->status, 200) << strip->body;
  const draw::Image s = draw::decode_png(strip->body, "strip");
  EXPECT_EQ(s.width, 6 * 28);
  EXPECT_EQ(s.height, 28);
}

TEST_F(ServeApi, ConcurrentClientsGetTheirOwnAnswers) {
  ServerUnderTest server(*run_);
  aekit::Model m = aekit::Model::load(*run_);
  const int clients = 8, requests = 25;
  std::vector<std::vector<float>> expected;
  for (int k = 0; k < clients; ++k) expected.push_back(m.encode(pattern_inputs(1, k), 1));
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int k = 0; k < clients; ++k)
    threads.emplace_back([&, k] {
      auto c = server.client();
      const std::string body = json{{"inputs", pattern_inputs(1, k)}}.dump();
      for (int r = 0; r < requests; ++r) {
        auto res = c->Post("/api/encode", body, "application/json");
        if (!res || res->status != 200) {
          ++wrong;
          continue;
        }
        const std::vector<float> z = flat(json::parse(res->body)["codes"]);
        for (size_t j = 0; j < z.size(); ++j)
          if (std::fabs(z[j] - expected[k][j]) > 1e-4f) {
            ++wrong;
            break;
          }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(ServeLive, ARunBeingTrainedIsServedFromItsFirstEpoch) {
  ScratchDir d;
  const std::string run = d / "live";
  ServerUnderTest server(run);
  auto c = server.client();
  auto info = c->Get("/api/info");
  ASSERT_EQ(info->status, 200);
  EXPECT_FALSE(json::parse(info->body)["ready"].get<bool>());
  auto early = c->Post("/api/encode", json{{"inputs", pattern_inputs(1)}}.dump(), "application/json");
  EXPECT_EQ(early->status, 503);
  EXPECT_NE(json::parse(early->body)["error"].get<std::string>().find("no finished epoch"), std::string::npos);

  // The event stream announces the empty folder, then a snapshot once an epoch has finished.
  std::vector<json> events;
  std::thread listener([&] {
    auto sse = server.client();
    std::string buffer;
    sse->Get("/api/events", [&](const char* data, size_t n) {
      buffer.append(data, n);
      for (size_t at; (at = buffer.find("\n\n")) != std::string::npos; buffer.erase(0, at + 2)) {
        const size_t data_at = buffer.find("data: ");
        if (data_at < at) events.push_back(json::parse(buffer.substr(data_at + 6, at - data_at - 6)));
      }
      return events.empty() || events.back()["version"] == 0;  // stop after the first real snapshot
    });
  });
  tiny_run(d, "vae2d_mnist.json", "live", 2);
  listener.join();
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events.front()["version"], 0);
  EXPECT_GE(events.back()["version"], 1);
  EXPECT_GE(events.back()["epochs"], 1);
  auto ready = c->Post("/api/encode", json{{"inputs", pattern_inputs(1)}}.dump(), "application/json");
  EXPECT_EQ(ready->status, 200) << ready->body;
  const json points = json::parse(c->Get("/api/points")->body);
  EXPECT_EQ(points["projection"], "the 2-D codes themselves (z1, z2)");
  EXPECT_EQ(points["xy"].size(), 300u);
  EXPECT_EQ(points["labels"].size(), 300u);
}

}  // namespace
