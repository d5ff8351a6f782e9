#include "errors/TextExcerpt.hpp"

#include "agent/support/Text.hpp"

namespace agent::bitrouter {
namespace {

std::size_t findIgnoreCase(std::string_view haystack, std::string_view needle,
                           std::size_t from = 0) {
  if (needle.size() > haystack.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= haystack.size(); ++i) {
    if (text::equalsIgnoreCase(haystack.substr(i, needle.size()), needle)) return i;
  }
  return std::string_view::npos;
}

bool looksLikeHtml(std::string_view body) {
  const std::string_view head = text::trim(body.substr(0, 512));
  return !head.empty() && head.front() == '<' &&
         (findIgnoreCase(head, "<html") != std::string_view::npos ||
          findIgnoreCase(head, "<!doctype") != std::string_view::npos ||
          findIgnoreCase(head, "<head") != std::string_view::npos ||
          findIgnoreCase(head, "<body") != std::string_view::npos ||
          findIgnoreCase(head, "<title") != std::string_view::npos);
}

// The <title> when there is one, else the text between tags.
std::string htmlText(std::string_view body) {
  const std::size_t titleOpen = findIgnoreCase(body, "<title");
  if (titleOpen != std::string_view::npos) {
    const std::size_t start = body.find('>', titleOpen);
    const std::size_t end = findIgnoreCase(body, "</title", titleOpen);
    if (start != std::string_view::npos && end != std::string_view::npos && start < end) {
      const std::string_view title = text::trim(body.substr(start + 1, end - start - 1));
      if (!title.empty()) return std::string(title);
    }
  }
  std::string text;
  bool inTag = false;
  for (const char c : body) {
    if (c == '<') {
      inTag = true;
      text += ' ';
    } else if (c == '>') {
      // A space, not nothing: dropping a stray '>' could join the halves of a secret that the
      // redactor (which ran before) did not see as one.
      inTag = false;
      text += ' ';
    } else if (!inTag) {
      text += c;
    }
  }
  return text;
}

}  // namespace

std::string truncateUtf8(std::string_view text, std::size_t maxBytes) {
  if (text.size() <= maxBytes) return std::string(text);
  std::size_t cut = maxBytes;
  // Step back over continuation bytes (10xxxxxx) so the cut lands on a character start.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
    --cut;
  std::string out(text.substr(0, cut));
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  out += "...";
  return out;
}

std::string textExcerpt(std::string_view body, std::size_t maxBytes) {
  const std::string html = looksLikeHtml(body) ? htmlText(body) : std::string();
  const std::string_view source = html.empty() ? body : std::string_view(html);

  std::string clean;
  clean.reserve(std::min(source.size(), maxBytes * 2));
  bool pendingSpace = false;
  for (const char c : source) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == ' ') {
      pendingSpace = !clean.empty();
      continue;
    }
    if (pendingSpace) clean += ' ';
    pendingSpace = false;
    clean += c;
    if (clean.size() > maxBytes + 4) break;  // enough to know it must be cut
  }
  return truncateUtf8(clean, maxBytes);
}

}  // namespace agent::bitrouter
