#include "export/onnx_export.h"

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <filesystem>

#include "io/atomic_file.h"
#include "nn/conv2d.h"
#include "nn/conv2d_transpose.h"
#include "nn/max_pool2d.h"
#include "nn/upsampling2d.h"
#include "tensor/error.h"

namespace aekit::exporting {
namespace {

constexpr int kOpset = 13;
constexpr int kIrVersion = 7;  // the IR version of opset 13

// Builds one graph: adds nodes and initializers under unique names, tracks the current value.
class GraphBuilder {
 public:
  explicit GraphBuilder(onnx::GraphProto* g) : g_(g) {}

  std::string fresh(const std::string& base) { return base + "_" + std::to_string(counter_++); }

  // A float initializer with the given dims (row-major data).
  std::string weight(const std::string& name, const Shape& dims, const float* data) {
    onnx::TensorProto* t = g_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    t->set_raw_data(std::string(reinterpret_cast<const char*>(data), numel(dims) * sizeof(float)));
    return name;
  }
  std::string ints(const std::string& base, const std::vector<int64_t>& v) {
    onnx::TensorProto* t = g_->add_initializer();
    const std::string name = fresh(base);
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(v.size()));
    for (int64_t x : v) t->add_int64_data(x);
    return name;
  }
  std::string floats(const std::string& base, const std::vector<float>& v, bool scalar = false) {
    onnx::TensorProto* t = g_->add_initializer();
    const std::string name = fresh(base);
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    if (!scalar) t->add_dims(static_cast<int64_t>(v.size()));
    for (float x : v) t->add_float_data(x);
    return name;
  }

  onnx::NodeProto* node(const std::string& op, const std::vector<std::string>& in, const std::vector<std::string>& out) {
    onnx::NodeProto* n = g_->add_node();
    n->set_op_type(op);
    n->set_name(fresh(op));
    for (const auto& s : in) n->add_input(s);
    for (const auto& s : out) n->add_output(s);
    return n;
  }
  // One-output node; returns its output name.
  std::string op(const std::string& op, const std::vector<std::string>& in) {
    const std::string out = fresh(op + "_out");
    node(op, in, {out});
    return out;
  }

 private:
  onnx::GraphProto* g_;
  int counter_ = 0;
};

void attr(onnx::NodeProto* n, const std::string& name, int64_t v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}
void attr(onnx::NodeProto* n, const std::string& name, float v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}
void attr(onnx::NodeProto* n, const std::string& name, const std::string& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}
void attr(onnx::NodeProto* n, const std::string& name, const std::vector<int64_t>& v) {
  auto* a = n->add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}

void value_info(onnx::ValueInfoProto* v, const std::string& name, const Shape& sample) {
  v->set_name(name);
  auto* tt = v->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  auto* shape = tt->mutable_shape();
  shape->add_dim()->set_dim_param("N");
  for (int64_t d : sample) shape->add_dim()->set_dim_value(d);
}


std::string activation(GraphBuilder& b, const std::string& x, const std::string& act, float alpha) {
  if (act == "linear" || act == "identity") return x;
  if (act == "relu") return b.op("Relu", {x});
  if (act == "sigmoid") return b.op("Sigmoid", {x});
  if (act == "tanh") return b.op("Tanh", {x});
  if (act == "leaky_relu") {
    const std::string out = b.fresh("LeakyRelu_out");
    attr(b.node("LeakyRelu", {x}, {out}), "alpha", alpha);
    return out;
  }
  throw InputError("onnx export: activation '" + act + "' has no ONNX mapping");
}

std::map<std::string, Tensor*> param_map(nn::Layer& layer) {
  std::map<std::string, Tensor*> m;
  for (const nn::Param& p : layer.params()) m[p.name] = p.value;
  return m;
}

// LSTM weights in ONNX's layout: W [dirs, 4H, F], R [dirs, 4H, H], B [dirs, 8H], gates i o f c
// (ours and PyTorch's: i f g o, with g ONNX's c).
struct LstmWeights {
  std::vector<float> w, r, b;
};
void append_lstm(LstmWeights& out, std::map<std::string, Tensor*>& p, const std::string& suffix, int64_t H) {
  static const int kOrder[4] = {0, 3, 1, 2};  // ONNX gate k takes our gate kOrder[k]
  auto rows = [&](const Tensor& t, std::vector<float>& dst) {
    const int64_t cols = t.size() / (4 * H);
    for (int k = 0; k < 4; ++k) {
      const float* src = t.data() + kOrder[k] * H * cols;
      dst.insert(dst.end(), src, src + H * cols);
    }
  };
  rows(*p.at("weight_ih_l0" + suffix), out.w);
  rows(*p.at("weight_hh_l0" + suffix), out.r);
  rows(*p.at("bias_ih_l0" + suffix), out.b);
  rows(*p.at("bias_hh_l0" + suffix), out.b);
}

// Appends one layer; x is its input ([N, ...layer.in_shape()]); returns its output's name.
std::string add_layer(GraphBuilder& b, nn::Layer& layer, const std::string& x, const std::string& where) {
  const nlohmann::json c = layer.config();
  const std::string type = layer.type();
  const std::string wname = b.fresh(where);
  auto p = param_map(layer);
  const Shape& in = layer.in_shape();
  const Shape& out_shape = layer.out_shape();

  if (type == "dropout" || type == "activity_l1" || type == "kl_sparsity") return x;
  if (type == "relu" || type == "sigmoid" || type == "tanh" || type == "leaky_relu" || type == "linear")
    return activation(b, x, type, c.value("alpha", 0.3f));

  if (type == "flatten" || type == "reshape") {
    std::vector<int64_t> shape{0};
    shape.insert(shape.end(), out_shape.begin(), out_shape.end());
    return b.op("Reshape", {x, b.ints("shape", shape)});
  }

  if (type == "dense") {
    std::string h = x;
    if (in.size() != 1) h = b.op("Reshape", {x, b.ints("shape", {0, numel(in)})});
    const Tensor& w = *p.at("weight");
    std::vector<std::string> ins{h, b.weight(wname + ".weight", w.shape(), w.data())};
    if (p.count("bias")) ins.push_back(b.weight(wname + ".bias", p.at("bias")->shape(), p.at("bias")->data()));
    const std::string y = b.fresh("Gemm_out");
    attr(b.node("Gemm", ins, {y}), "transB", int64_t{1});
    return activation(b, y, c.value("activation", "linear"), c.value("alpha", 0.3f));
  }

  if (type == "conv2d" || type == "conv2d_transpose") {
    // The layer's own schema reads its config back: defaults and spellings as training made it.
    const auto o = type == "conv2d" ? nn::Conv2D::schema().parse(c, type) : nn::Conv2D::Options{};
    const auto ot = type == "conv2d" ? nn::Conv2DTranspose::Options{} : nn::Conv2DTranspose::schema().parse(c, type);
    const nn::HW kernel = type == "conv2d" ? o.kernel : ot.kernel, stride = type == "conv2d" ? o.stride : ot.stride;
    const int64_t kh = kernel.h, kw = kernel.w, sh = stride.h, sw = stride.w;
    const Tensor& w = *p.at("weight");
    std::vector<std::string> ins{x, b.weight(wname + ".weight", w.shape(), w.data())};
    if (p.count("bias")) ins.push_back(b.weight(wname + ".bias", p.at("bias")->shape(), p.at("bias")->data()));
    const std::string y = b.fresh(type == "conv2d" ? "Conv_out" : "ConvTranspose_out");
    if (type == "conv2d") {
      const nn::Window wh = nn::window(in[1], kh, sh, o.padding), ww = nn::window(in[2], kw, sw, o.padding);
      onnx::NodeProto* n = b.node("Conv", ins, {y});
      attr(n, "kernel_shape", std::vector<int64_t>{kh, kw});
      attr(n, "strides", std::vector<int64_t>{sh, sw});
      attr(n, "pads", std::vector<int64_t>{wh.before, ww.before, wh.after, ww.after});
    } else {
      // Ours crops `before` rows at the start of the full (in-1)*s+k output and keeps out rows;
      // a negative crop at the end is zero rows appended: ONNX's output_padding.
      const int64_t oh = out_shape[1], ow = out_shape[2];
      const bool same = ot.padding.kind == nn::Padding::Kind::same;
      auto split = [&](int64_t in_len, int64_t k, int64_t s, int64_t out_len) {
        const int64_t full = (in_len - 1) * s + k;
        const int64_t before = same ? std::max<int64_t>(full - out_len, 0) / 2 : 0;
        const int64_t after = full - out_len - before;
        return std::array<int64_t, 3>{before, std::max<int64_t>(after, 0), std::max<int64_t>(-after, 0)};
      };
      const auto ph = split(in[1], kh, sh, oh), pw = split(in[2], kw, sw, ow);
      onnx::NodeProto* n = b.node("ConvTranspose", ins, {y});
      attr(n, "kernel_shape", std::vector<int64_t>{kh, kw});
      attr(n, "strides", std::vector<int64_t>{sh, sw});
      attr(n, "pads", std::vector<int64_t>{ph[0], pw[0], ph[1], pw[1]});
      attr(n, "output_padding", std::vector<int64_t>{ph[2], pw[2]});
    }
    return activation(b, y, c.value("activation", "linear"), c.value("alpha", 0.3f));
  }

  if (type == "max_pool2d") {
    const nn::MaxPool2D::Options o = nn::MaxPool2D::schema().parse(c, type);
    const nn::HW stride = o.stride.value_or(o.pool);  // Keras: the stride defaults to the pool size
    const int64_t kh = o.pool.h, kw = o.pool.w, sh = stride.h, sw = stride.w;
    const nn::Padding& pad = o.padding;
    const nn::Window wh = nn::window(in[1], kh, sh, pad), ww = nn::window(in[2], kw, sw, pad);
    const std::string y = b.fresh("MaxPool_out");
    onnx::NodeProto* n = b.node("MaxPool", {x}, {y});
    attr(n, "kernel_shape", std::vector<int64_t>{kh, kw});
    attr(n, "strides", std::vector<int64_t>{sh, sw});
    attr(n, "pads", std::vector<int64_t>{wh.before, ww.before, wh.after, ww.after});
    return y;
  }

  if (type == "upsampling2d") {
    const nn::HW size = nn::UpSampling2D::schema().parse(c, type).size;
    const float fh = static_cast<float>(size.h), fw = static_cast<float>(size.w);
    const std::string y = b.fresh("Resize_out");
    onnx::NodeProto* n = b.node("Resize", {x, "", b.floats("scales", {1.f, 1.f, fh, fw})}, {y});
    attr(n, "mode", std::string("nearest"));
    attr(n, "coordinate_transformation_mode", std::string("asymmetric"));
    attr(n, "nearest_mode", std::string("floor"));
    return y;
  }

  if (type == "batch_norm") {
    const int64_t C = in[0];
    const std::string& h = x;
    // ONNX normalises axis 1 of [N, C, ...]; ours takes the first sample axis as the channel.
    const std::string y = b.fresh("BatchNormalization_out");
    onnx::NodeProto* n = b.node("BatchNormalization",
                                {h, b.weight(wname + ".weight", {C}, p.at("weight")->data()),
                                 b.weight(wname + ".bias", {C}, p.at("bias")->data()),
                                 b.weight(wname + ".running_mean", {C}, p.at("running_mean")->data()),
                                 b.weight(wname + ".running_var", {C}, p.at("running_var")->data())},
                                {y});
    attr(n, "epsilon", c.value("epsilon", 1e-3f));
    return y;
  }

  if (type == "repeat_vector") {
    const int64_t n = c["n"].get<int64_t>(), F = in[0];
    const std::string u = b.op("Unsqueeze", {x, b.ints("axes", {1})});
    // Expand broadcasts [N, 1, F] to [N, n, F]; the batch dim comes from the input's shape.
    const std::string shape = b.op("Shape", {u});
    const std::string batch = b.op("Slice", {shape, b.ints("starts", {0}), b.ints("ends", {1})});
    const std::string target = b.fresh("Concat_out");
    attr(b.node("Concat", {batch, b.ints("nf", {n, F})}, {target}), "axis", int64_t{0});
    return b.op("Expand", {u, target});
  }

  if (type == "lstm" || type == "bidirectional") {
    const bool bi = type == "bidirectional";
    const nlohmann::json cell = bi ? c["layer"] : c;
    const int64_t H = cell["units"].get<int64_t>();
    const bool seq = cell.value("return_sequences", false);
    LstmWeights lw;
    append_lstm(lw, p, "", H);
    if (bi) append_lstm(lw, p, "_reverse", H);
    const int64_t dirs = bi ? 2 : 1, F = in[1];
    const std::string xt = b.fresh("Transpose_out");
    attr(b.node("Transpose", {x}, {xt}), "perm", std::vector<int64_t>{1, 0, 2});  // [T, N, F]
    const std::string Y = b.fresh("LSTM_Y"), Yh = b.fresh("LSTM_Y_h");
    onnx::NodeProto* n = b.node("LSTM",
                                {xt, b.weight(wname + ".W", {dirs, 4 * H, F}, lw.w.data()),
                                 b.weight(wname + ".R", {dirs, 4 * H, H}, lw.r.data()),
                                 b.weight(wname + ".B", {dirs, 8 * H}, lw.b.data())},
                                {Y, Yh});
    attr(n, "hidden_size", H);
    attr(n, "direction", std::string(bi ? "bidirectional" : "forward"));
    const bool sum = bi && c.value("merge", "concat") == "sum";
    if (seq) {
      // Y [T, dirs, N, H] -> [N, T, dirs, H] -> merged [N, T, H or 2H]
      const std::string yt = b.fresh("Transpose_out");
      attr(b.node("Transpose", {Y}, {yt}), "perm", std::vector<int64_t>{2, 0, 1, 3});
      if (sum) {
        const std::string y = b.fresh("ReduceSum_out");
        attr(b.node("ReduceSum", {yt, b.ints("axes", {2})}, {y}), "keepdims", int64_t{0});
        return y;
      }
      return b.op("Reshape", {yt, b.ints("shape", {0, 0, dirs * H})});
    }
    // Y_h [dirs, N, H] -> [N, dirs, H] -> merged [N, H or 2H]
    const std::string ht = b.fresh("Transpose_out");
    attr(b.node("Transpose", {Yh}, {ht}), "perm", std::vector<int64_t>{1, 0, 2});
    if (sum) {
      const std::string y = b.fresh("ReduceSum_out");
      attr(b.node("ReduceSum", {ht, b.ints("axes", {1})}, {y}), "keepdims", int64_t{0});
      return y;
    }
    return b.op("Reshape", {ht, b.ints("shape", {0, dirs * H})});
  }

  throw InputError("onnx export: " + where + " (" + type + ") has no ONNX mapping");
}

std::string add_stack(GraphBuilder& b, models::Sequential& s, std::string x) {
  for (size_t i = 0; i < s.size(); ++i) x = add_layer(b, s.layer(i), x, s.prefix() + "." + std::to_string(i));
  return x;
}

void finish(onnx::ModelProto& m, const std::string& name) {
  m.set_ir_version(kIrVersion);
  m.set_producer_name("aekit");
  m.set_model_version(1);
  m.mutable_graph()->set_name(name);
  auto* opset = m.add_opset_import();
  opset->set_domain("");
  opset->set_version(kOpset);
  try {
    onnx::checker::check_model(m);
  } catch (const std::exception& e) {
    throw std::runtime_error("onnx export: the ONNX checker rejects " + name + ": " + e.what());
  }
}

// The identity of the output's final step: "" (nothing), or "Sigmoid" for bce_logits.
std::string to_data_space_op(models::Autoencoder& model) {
  Tensor probe({1, 3}, {-2.0f, 0.0f, 1.5f});
  model.loss().to_data_space(probe);
  if (probe[0] == -2.0f && probe[1] == 0.0f && probe[2] == 1.5f) return "";
  if (std::abs(probe[1] - 0.5f) < 1e-6f && std::abs(probe[0] - 1.0f / (1.0f + std::exp(2.0f))) < 1e-6f) return "Sigmoid";
  throw InputError("onnx export: the loss's output transform has no ONNX mapping");
}

}  // namespace

std::string encoder_onnx(models::Autoencoder& model, const std::string& name) {
  onnx::ModelProto m;
  GraphBuilder b(m.mutable_graph());
  value_info(m.mutable_graph()->add_input(), "x", model.input_shape());
  std::string h = add_stack(b, model.encoder(), "x");
  if (model.is_vae()) {
    models::VaeHead& head = *model.vae_head();
    auto p = std::map<std::string, Tensor*>();
    for (const nn::Param& q : head.params()) p[q.name] = q.value;
    const Shape trunk = model.encoder().size() ? model.encoder().layer(model.encoder().size() - 1).out_shape()
                                               : model.input_shape();
    if (trunk.size() != 1) h = b.op("Reshape", {h, b.ints("shape", {0, numel(trunk)})});
    auto gemm = [&](const std::string& head_name, const std::string& out) {
      const Tensor& w = *p.at(head_name + ".weight");
      const Tensor& bias = *p.at(head_name + ".bias");
      attr(b.node("Gemm",
                  {h, b.weight("vae." + head_name + ".weight", w.shape(), w.data()),
                   b.weight("vae." + head_name + ".bias", bias.shape(), bias.data())},
                  {out}),
           "transB", int64_t{1});
    };
    gemm("mu", "mean");
    gemm("logvar", "log_variance_raw");
    b.node("Clip", {"log_variance_raw", b.floats("min", {-30.f}, true), b.floats("max", {20.f}, true)},
           {"log_variance"});
    value_info(m.mutable_graph()->add_output(), "mean", model.code_shape());
    value_info(m.mutable_graph()->add_output(), "log_variance", model.code_shape());
  } else {
    b.node("Identity", {h}, {"code"});
    value_info(m.mutable_graph()->add_output(), "code", model.code_shape());
  }
  finish(m, name + "_encoder");
  return m.SerializeAsString();
}

std::string decoder_onnx(models::Autoencoder& model, const std::string& name) {
  onnx::ModelProto m;
  GraphBuilder b(m.mutable_graph());
  value_info(m.mutable_graph()->add_input(), "z", model.code_shape());
  std::string y = add_stack(b, model.decoder(), "z");
  const std::string last = to_data_space_op(model);
  if (!last.empty()) y = b.op(last, {y});
  std::vector<int64_t> shape{0};
  shape.insert(shape.end(), model.input_shape().begin(), model.input_shape().end());
  b.node("Reshape", {y, b.ints("shape", shape)}, {"x_hat"});
  value_info(m.mutable_graph()->add_output(), "x_hat", model.input_shape());
  finish(m, name + "_decoder");
  return m.SerializeAsString();
}

OnnxFiles export_onnx(models::Autoencoder& model, const std::string& out_dir, const std::string& name) {
  const std::string enc = encoder_onnx(model, name), dec = decoder_onnx(model, name);
  io::make_dirs(out_dir);
  OnnxFiles f{out_dir + "/encoder.onnx", out_dir + "/decoder.onnx"};
  io::write_file_atomic(f.encoder, enc);
  io::write_file_atomic(f.decoder, dec);
  return f;
}

}  // namespace aekit::exporting
