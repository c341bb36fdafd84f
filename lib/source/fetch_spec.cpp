#include "source/fetch_spec.hpp"

namespace haul::source {

const char* pagination_name(PaginationKind kind) {
  switch (kind) {
    case PaginationKind::kNone:
      return "none";
    case PaginationKind::kPage:
      return "page";
    case PaginationKind::kOffset:
      return "offset";
    case PaginationKind::kCursor:
      return "cursor";
    case PaginationKind::kNextLink:
      return "next_link";
  }
  return "none";
}

}  // namespace haul::source
