// GloVe word vectors (data/text/glove.h) for a small fixed vocabulary, dimension 3.
#include "data/text/glove.h"
#include "fuzz_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto vocab = aekit::data::text::Vocabulary::from_words({"PAD", "UNK", "the", "of", "oil"});
  const std::string& path = aekit::fuzz::write_input(data, size, ".txt");
  aekit::fuzz::expect_input_error_only([&] { aekit::data::text::load_glove(path, vocab, 3); });
  return 0;
}
