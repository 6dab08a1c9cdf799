// Resizing decoded images to the model's [H, W] under an explicit policy. Filtering: an exact
// area (box) average along an axis that shrinks, so every source pixel counts once and a large
// photo does not alias; bilinear with pixel centres aligned (align_corners = false, as PIL and
// PyTorch) along an axis that enlarges. The two axes choose independently.
#pragma once
#include <array>
#include <cstdint>
#include <string>

#include "data/image_decode.h"

namespace aekit::data {

enum class ResizePolicy {
  fit_crop,  // scale so the image covers H x W, then cut the centre (no distortion, edges lost)
  stretch,   // scale each axis independently (aspect ratio changes, nothing lost)
  pad,       // scale so the image fits inside H x W, centre it, fill the rest with the background
};

// "fit-crop" | "stretch" | "pad"; anything else is an InputError listing these.
ResizePolicy parse_resize_policy(const std::string& name);
std::string resize_policy_name(ResizePolicy policy);

// img resized to height x width with img.channels channels. background fills the margins of
// "pad" (its first entry for grey images).
RawImage resize_image(const RawImage& img, int height, int width, ResizePolicy policy,
                      const std::array<uint8_t, 3>& background = {255, 255, 255});

}  // namespace aekit::data
