// Table-driven: every config object aekit reads — each registered layer type, each loss, each
// optimizer, each data kind and the sections of a run config — refuses an extra key (naming
// the path), and what it writes back parses to the same thing. A new layer type or data kind
// fails EveryTypeIsInTheTable until it gets a row here.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <regex>

#include "models/autoencoder.h"
#include "nn/loss.h"
#include "nn/optimizer.h"
#include "nn/registry.h"
#include "run/run_config.h"
#include "tensor/error.h"

namespace aekit {
namespace {

using json = nlohmann::json;

// A minimal valid config of every layer type.
const std::map<std::string, json>& layer_rows() {
  static const std::map<std::string, json> rows{
      {"dense", {{"type", "dense"}, {"units", 4}}},
      {"activity_l1", {{"type", "activity_l1"}}},
      {"kl_sparsity", {{"type", "kl_sparsity"}}},
      {"lstm", {{"type", "lstm"}, {"units", 3}}},
      {"bidirectional", {{"type", "bidirectional"}, {"layer", {{"type", "lstm"}, {"units", 3}}}}},
      {"repeat_vector", {{"type", "repeat_vector"}, {"n", 5}}},
      {"linear", {{"type", "linear"}}},
      {"relu", {{"type", "relu"}}},
      {"leaky_relu", {{"type", "leaky_relu"}, {"alpha", 0.2}}},
      {"sigmoid", {{"type", "sigmoid"}}},
      {"tanh", {{"type", "tanh"}}},
      {"conv2d", {{"type", "conv2d"}, {"filters", 2}, {"kernel", 3}}},
      {"conv2d_transpose", {{"type", "conv2d_transpose"}, {"filters", 2}, {"kernel", 3}, {"stride", 2}}},
      {"max_pool2d", {{"type", "max_pool2d"}}},
      {"upsampling2d", {{"type", "upsampling2d"}}},
      {"flatten", {{"type", "flatten"}}},
      {"reshape", {{"type", "reshape"}, {"shape", {1, -1}}}},
      {"batch_norm", {{"type", "batch_norm"}}},
      {"dropout", {{"type", "dropout"}, {"rate", 0.5}}},
  };
  return rows;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(EveryConfigObject, EveryTypeIsInTheTable) {
  for (const auto& t : nn::layer_types()) EXPECT_TRUE(layer_rows().count(t)) << "no row for layer type " << t;
  EXPECT_EQ(layer_rows().size(), nn::layer_types().size());
  EXPECT_EQ(run::data_kinds(), (std::vector<std::string>{"images", "arrays", "table", "shapes", "sentences"}));
}

TEST(EveryConfigObject, EveryLayerRefusesAnExtraKeyAndRoundTrips) {
  for (const auto& [type, cfg] : layer_rows()) {
    SCOPED_TRACE(type);
    nn::LayerPtr layer = nn::make_layer(cfg, "model.encoder[2]");
    EXPECT_EQ(layer->type(), type);
    // What config() writes makes the same layer again, and says the same.
    EXPECT_EQ(nn::make_layer(layer->config(), "x")->config(), layer->config());
    json extra = cfg;
    extra["bogus"] = 1;
    const std::string e = error_of([&] { nn::make_layer(extra, "model.encoder[2]"); });
    EXPECT_EQ(e.rfind("model.encoder[2]: unknown key \"bogus\" for ", 0), 0u) << e;
    // Every declared key (but unset optional ones) is written back (declaration and parser are one thing).
    for (const auto& k : nn::layer_keys(type)) {
      if (k.type.find("optional") != std::string::npos) continue;
      EXPECT_TRUE(layer->config().contains(k.name)) << k.name;
    }
  }
}

TEST(EveryConfigObject, LossesAndOptimizersRefuseExtraKeys) {
  for (const char* type : {"mse", "bce", "bce_logits"}) {
    json cfg{{"type", type}, {"reductio", "sum"}};
    EXPECT_EQ(error_of([&] { nn::make_loss(cfg, "model.loss"); }),
              "model.loss: unknown key \"reductio\" for loss (did you mean \"reduction\"?) (valid: \"type\", "
              "\"reduction\" or \"scale\")");
    EXPECT_EQ(nn::make_loss(json{{"type", type}})->config()["type"], type);
  }
  EXPECT_NE(error_of([&] { nn::make_optimizer(json{{"type", "adam"}, {"learning_rate", 0.01}}, "train.optimizer"); })
                .find("train.optimizer: unknown key \"learning_rate\" for adam (did you mean \"lr\"?)"),
            std::string::npos);
  EXPECT_NE(error_of([&] { nn::make_optimizer(json{{"type", "sgd"}, {"beta1", 0.9}}, "train.optimizer"); })
                .find("train.optimizer: unknown key \"beta1\" for sgd"),
            std::string::npos);
  EXPECT_EQ(error_of([&] { nn::make_optimizer(json{{"type", "adma"}}, "train.optimizer"); }),
            "train.optimizer.type: unknown optimizer \"adma\" (did you mean \"adam\"?) (known: \"adam\" or \"sgd\")");
  // Defaults that depend on another key.
  EXPECT_EQ(nn::parse_optimizer(json{{"type", "sgd"}}, "o").lr, 0.01);
  EXPECT_EQ(nn::parse_optimizer(json{{"type", "adam"}}, "o").lr, 1e-3);
  EXPECT_EQ(nn::parse_optimizer(json{{"type", "adam"}, {"epsilon_placement", "keras"}}, "o").epsilon, 1e-7);
  for (const char* type : {"adam", "sgd"}) {
    const json written = nn::make_optimizer(json{{"type", type}, {"lr", 0.5}}, "o")->config();
    EXPECT_EQ(nn::make_optimizer(written, "o")->config(), written);
  }
}

json run_config(const json& data, const json& train_extra = json::object()) {
  json train{{"optimizer", {{"type", "adam"}}}, {"epochs", 1}};
  train.update(train_extra);
  return {{"name", "t"},
          {"data", data},
          {"model",
           {{"encoder", {{{"type", "dense"}, {"units", 2}}}},
            {"decoder", {{{"type", "dense"}, {"units", 4}}}},
            {"loss", {{"type", "mse"}}}}},
          {"train", train}};
}

TEST(EveryConfigObject, EveryRunSectionRefusesAnExtraKey) {
  const std::map<std::string, json> data_rows{
      {"images", {{"dataset", "mnist"}}},
      {"arrays", {{"kind", "arrays"}, {"path", "x.npz"}}},
      {"table", {{"kind", "table"}, {"dataset", "heart"}, {"columns", {0, 1, 2, 3}}}},
      {"shapes", {{"kind", "shapes"}}},
      {"sentences", {{"kind", "sentences"}, {"dataset", "r"}, {"glove", "g.txt"}}},
  };
  for (const auto& kind : run::data_kinds()) {
    SCOPED_TRACE(kind);
    ASSERT_TRUE(data_rows.count(kind));
    const json good = run_config(data_rows.at(kind));
    const run::RunConfig c = run::parse_run_config(good, "c.json");
    EXPECT_EQ(c.data.kind, kind);
    EXPECT_EQ(run::parse_run_config(c.to_json(), "c.json").to_json(), c.to_json());
    json bad = good;
    bad["data"]["bogus"] = 1;
    EXPECT_EQ(error_of([&] { run::parse_run_config(bad, "c.json"); }).rfind("c.json: data: unknown key \"bogus\" for data (kind " + kind, 0), 0u);
  }
  const json good = run_config(data_rows.at("images"), {{"beta_schedule", {{"type", "linear"}}}, {"pretrain", {{"epochs", 1}}}});
  // Each path below gets an extra key; the error names the file and that path.
  for (const std::string path : {"", "train", "train.optimizer", "train.beta_schedule", "train.pretrain", "model",
                                  "model.loss", "model.encoder[0]"}) {
    SCOPED_TRACE(path);
    json bad = good;
    json* at = &bad;
    if (!path.empty()) at = &bad[json::json_pointer("/" + std::regex_replace(
                                                                std::regex_replace(path, std::regex("\\."), "/"),
                                                                std::regex("\\[(\\d+)\\]"), "/$1"))];
    (*at)["bogus"] = 1;
    const std::string e = error_of([&] { run::parse_run_config(bad, "c.json"); });
    EXPECT_EQ(e.rfind("c.json: " + (path.empty() ? std::string() : path + ": ") + "unknown key \"bogus\"", 0), 0u) << e;
  }
  json vae = good;
  vae["model"]["vae"] = {{"latent", 2}, {"betta", 1}};
  EXPECT_NE(error_of([&] { run::parse_run_config(vae, "c.json"); })
                .find("c.json: model.vae: unknown key \"betta\" for vae (did you mean \"beta\"?)"),
            std::string::npos);
  json noise = good;
  noise["data"]["noise"] = {{"sdt", 0.5}};
  EXPECT_NE(error_of([&] { run::parse_run_config(noise, "c.json"); }).find("c.json: data.noise: unknown key \"sdt\" for noise (did you mean \"std\"?)"),
            std::string::npos);
}

TEST(EveryConfigObject, TheIssuesThreeTyposAreRefused) {
  json c = run_config({{"dataset", "mnist"}});
  c["model"]["encoder"][0]["activaton"] = "relu";
  EXPECT_EQ(error_of([&] { run::parse_run_config(c, "c.json"); }).substr(0, 97),
            "c.json: model.encoder[0]: unknown key \"activaton\" for dense (did you mean \"activation\"?) (valid: ");
  c = run_config({{"dataset", "mnist"}});
  c["train"]["optimizer"] = {{"type", "adam"}, {"learning_rate", 0.01}};
  EXPECT_NE(error_of([&] { run::parse_run_config(c, "c.json"); }).find("c.json: train.optimizer: unknown key \"learning_rate\""),
            std::string::npos);
  c = run_config({{"dataset", "mnist"}});
  c["model"]["loss"] = {{"type", "mse"}, {"reduce", "sum"}};
  EXPECT_NE(error_of([&] { run::parse_run_config(c, "c.json"); }).find("c.json: model.loss: unknown key \"reduce\""),
            std::string::npos);
}

TEST(EveryConfigObject, ValuesAreRefusedNotCoerced) {
  const std::vector<std::pair<std::function<void(json&)>, std::string>> cases{
      {[](json& c) { c["train"]["optimizer"]["lr"] = "0.01"; }, "c.json: train.optimizer.lr: expected a number, got string \"0.01\""},
      {[](json& c) { c["train"]["optimizer"]["lr"] = -1; }, "c.json: train.optimizer.lr: -1 is out of range (allowed: > 0)"},
      {[](json& c) { c["train"]["epochs"] = 2.7; }, "c.json: train.epochs: expected an integer, got 2.7"},
      {[](json& c) { c["train"]["epochs"] = 1e10; }, "c.json: train.epochs: 10000000000.0 is out of range (allowed: [0, 1000000])"},
      {[](json& c) { c["train"]["seed"] = -1; }, "c.json: train.seed: -1 is out of range (allowed: >= 0)"},
      {[](json& c) { c["model"]["encoder"][0]["units"] = 1e9; }, "c.json: model.encoder[0].units: 1000000000.0 is out of range (allowed: [1, 16777216])"},
      {[](json& c) { c["model"]["encoder"][0]["units"] = -3; }, "c.json: model.encoder[0].units: -3 is out of range (allowed: [1, 16777216])"},
      {[](json& c) { c["model"].erase("encoder"); }, "c.json: model: missing key \"encoder\" (JSON)"},
      {[](json& c) { c["model"]["decoder"] = 3; }, "c.json: model.decoder: expected a list of layers, got number 3"},
      {[](json& c) { c["data"]["kind"] = "imgs"; }, "c.json: data.kind: unknown data kind \"imgs\" (did you mean \"images\"?) (known: \"images\", \"arrays\", \"table\", \"shapes\" or \"sentences\")"},
      {[](json& c) { c["data"]["train_limit"] = -5; }, "c.json: data.train_limit: -5 is out of range (allowed: [0, 1000000000000])"},
  };
  for (const auto& [edit, message] : cases) {
    json c = run_config({{"dataset", "mnist"}});
    edit(c);
    EXPECT_EQ(error_of([&] { run::parse_run_config(c, "c.json"); }), message);
  }
}

TEST(EveryConfigObject, AnImagesSectionIsIdxFilesOrAFolderNeverBoth) {
  const json folder{{"path", "/photos"}, {"size", {32, 48}}, {"channels", 1}, {"resize", "pad"}, {"test_fraction", 0.2}};
  const run::RunConfig c = run::parse_run_config(run_config(folder), "c.json");
  EXPECT_TRUE(c.data.is_image_folder());
  EXPECT_EQ(c.data.size, (std::vector<int64_t>{32, 48}));
  // Written back with the folder's keys only, and read again to the same values.
  const json written = c.to_json()["data"];
  EXPECT_FALSE(written.contains("dataset"));
  EXPECT_EQ(written["resize"], "pad");
  EXPECT_EQ(run::parse_run_config(c.to_json(), "c.json").to_json(), c.to_json());
  EXPECT_FALSE(run::parse_run_config(run_config({{"dataset", "mnist"}}), "c.json").to_json()["data"].contains("size"));

  EXPECT_NE(error_of([&] { run::parse_run_config(run_config({{"dataset", "mnist"}, {"path", "/p"}}), "c.json"); })
                .find("c.json: data: give either \"dataset\""),
            std::string::npos);
  EXPECT_NE(error_of([&] { run::parse_run_config(run_config({{"kind", "images"}}), "c.json"); }).find("not neither"),
            std::string::npos);
  EXPECT_NE(error_of([&] { run::parse_run_config(run_config({{"dataset", "mnist"}, {"channels", 3}}), "c.json"); })
                .find("c.json: data.channels: applies to a folder of image files"),
            std::string::npos);
  EXPECT_NE(error_of([&] { run::parse_run_config(run_config({{"path", "/p"}, {"resize", "crop"}}), "c.json"); })
                .find("c.json: data.resize: \"crop\" is not one of"),
            std::string::npos);
  EXPECT_NE(error_of([&] { run::parse_run_config(run_config({{"path", "/p"}, {"size", {64}}}), "c.json"); })
                .find("c.json: data.size: expected [height, width]"),
            std::string::npos);
  EXPECT_NE(error_of([&] { run::parse_run_config(run_config({{"path", "/p"}, {"channels", 2}}), "c.json"); })
                .find("must be 1 (grey) or 3 (RGB)"),
            std::string::npos);
}

TEST(EveryConfigObject, TableColumnsByIndexOrName) {
  const json by_name{{"kind", "table"}, {"dataset", "t.csv"}, {"columns", {"age", "chol"}}, {"label_column", "target"},
                     {"missing", "reject"}};
  const run::RunConfig c = run::parse_run_config(run_config(by_name), "c.json");
  EXPECT_EQ(c.data.columns.names, (std::vector<std::string>{"age", "chol"}));
  EXPECT_EQ(c.data.label_column.name, "target");
  EXPECT_EQ(run::parse_run_config(c.to_json(), "c.json").to_json(), c.to_json());
  const run::RunConfig i = run::parse_run_config(
      run_config({{"kind", "table"}, {"dataset", "heart"}, {"columns", {0, 1}}, {"label_column", 13}}), "c.json");
  EXPECT_EQ(i.data.columns.index, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(*i.data.label_column.index, 13);
  EXPECT_EQ(run::parse_run_config(i.to_json(), "c.json").to_json(), i.to_json());
  EXPECT_NE(error_of([&] {
              run::parse_run_config(run_config({{"kind", "table"}, {"dataset", "t.csv"}, {"missing", "skip"}}), "c.json");
            }).find("c.json: data.missing: \"skip\" is not one of"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              run::parse_run_config(run_config({{"kind", "table"}, {"dataset", "t.csv"}, {"columns", {"a", 1}}}), "c.json");
            }).find("c.json: data.columns"),
            std::string::npos);
}

}  // namespace
}  // namespace aekit
