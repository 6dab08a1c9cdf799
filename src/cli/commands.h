// Each aekit subcommand lives in its own cmd_*.cpp and registers itself on the app here.
#pragma once
#include <CLI/CLI.hpp>

#include "serve/server.h"

namespace aekit::cli {

void add_train(CLI::App& app);
void add_check(CLI::App& app);
void add_eval(CLI::App& app);
void add_reconstruct(CLI::App& app);
void add_bench(CLI::App& app);
void add_demo(CLI::App& app);
void add_generate(CLI::App& app);
void add_latent(CLI::App& app);
void add_analyze(CLI::App& app);
void add_vae_tools(CLI::App& app);
void add_inspect(CLI::App& app);
void add_sentence_tools(CLI::App& app);
void add_report(CLI::App& app);
void add_export(CLI::App& app);
void add_import(CLI::App& app);
void add_serve(CLI::App& app);

// The flags `serve` and `train --serve` share (cmd_serve.cpp).
void add_serve_options(CLI::App* cmd, serve::ServeOptions& options);

}  // namespace aekit::cli
