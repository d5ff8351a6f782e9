#include "transport/HttpDate.hpp"

#include <array>
#include <cstdint>

namespace agent::bitrouter {
namespace {

constexpr std::array<std::string_view, 7> kDays{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDays{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                    "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

// A cursor that consumes exact pieces of the text and fails for good on the first mismatch.
class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}

  bool literal(std::string_view expected) {
    if (!ok_ || text_.substr(0, expected.size()) != expected) return ok_ = false;
    text_.remove_prefix(expected.size());
    return true;
  }
  int digits(std::size_t count) {
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
      if (!ok_ || text_.empty() || text_.front() < '0' || text_.front() > '9') {
        ok_ = false;
        return 0;
      }
      value = value * 10 + (text_.front() - '0');
      text_.remove_prefix(1);
    }
    return value;
  }
  template <std::size_t N>
  int oneOf(const std::array<std::string_view, N>& names) {
    for (std::size_t i = 0; i < N && ok_; ++i) {
      if (text_.substr(0, names[i].size()) == names[i]) {
        text_.remove_prefix(names[i].size());
        return static_cast<int>(i);
      }
    }
    ok_ = false;
    return -1;
  }
  bool done() const { return ok_ && text_.empty(); }
  bool ok() const { return ok_; }
  char peek() const { return text_.empty() ? '\0' : text_.front(); }

 private:
  std::string_view text_;
  bool ok_ = true;
};

// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
std::int64_t daysFromCivil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yearOfEra = static_cast<unsigned>(year - era * 400);
  const unsigned dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const unsigned dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
  return era * 146097 + static_cast<std::int64_t>(dayOfEra) - 719468;
}

struct Fields {
  int year = 0;
  int month = 0;  // 0-based
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
};

void time(Cursor& cursor, Fields& fields) {
  fields.hour = cursor.digits(2);
  cursor.literal(":");
  fields.minute = cursor.digits(2);
  cursor.literal(":");
  fields.second = cursor.digits(2);
}

std::optional<Fields> imfFixdate(std::string_view text) {
  Cursor cursor(text);
  Fields fields;
  cursor.oneOf(kDays);
  cursor.literal(", ");
  fields.day = cursor.digits(2);
  cursor.literal(" ");
  fields.month = cursor.oneOf(kMonths);
  cursor.literal(" ");
  fields.year = cursor.digits(4);
  cursor.literal(" ");
  time(cursor, fields);
  cursor.literal(" GMT");
  if (!cursor.done()) return std::nullopt;
  return fields;
}

std::optional<Fields> rfc850(std::string_view text) {
  Cursor cursor(text);
  Fields fields;
  cursor.oneOf(kLongDays);
  cursor.literal(", ");
  fields.day = cursor.digits(2);
  cursor.literal("-");
  fields.month = cursor.oneOf(kMonths);
  cursor.literal("-");
  const int twoDigits = cursor.digits(2);
  fields.year = twoDigits < 70 ? 2000 + twoDigits : 1900 + twoDigits;
  cursor.literal(" ");
  time(cursor, fields);
  cursor.literal(" GMT");
  if (!cursor.done()) return std::nullopt;
  return fields;
}

std::optional<Fields> asctime(std::string_view text) {
  Cursor cursor(text);
  Fields fields;
  cursor.oneOf(kDays);
  cursor.literal(" ");
  fields.month = cursor.oneOf(kMonths);
  cursor.literal(" ");
  if (cursor.peek() == ' ') {
    cursor.literal(" ");
    fields.day = cursor.digits(1);
  } else {
    fields.day = cursor.digits(2);
  }
  cursor.literal(" ");
  time(cursor, fields);
  cursor.literal(" ");
  fields.year = cursor.digits(4);
  if (!cursor.done()) return std::nullopt;
  return fields;
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parseHttpDate(std::string_view text) {
  std::optional<Fields> fields = imfFixdate(text);
  if (!fields) fields = rfc850(text);
  if (!fields) fields = asctime(text);
  if (!fields || fields->day < 1 || fields->day > 31 || fields->hour > 23 || fields->minute > 59 ||
      fields->second > 60) {
    return std::nullopt;
  }
  const std::int64_t days = daysFromCivil(fields->year, static_cast<unsigned>(fields->month + 1),
                                          static_cast<unsigned>(fields->day));
  const std::int64_t seconds =
      days * 86400 + fields->hour * 3600 + fields->minute * 60 + fields->second;
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

}  // namespace agent::bitrouter
