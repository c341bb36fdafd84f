#include "support/http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <stdexcept>

namespace haul::testing {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string gzip(const std::string& data) {
  z_stream stream{};
  deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&stream, data.size()) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  deflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

const char* reason(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 408:
      return "Request Timeout";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

}  // namespace

HttpReply HttpReply::json(std::string body, int status) {
  HttpReply reply;
  reply.status = status;
  reply.body = std::move(body);
  reply.headers.emplace_back("Content-Type", "application/json");
  return reply;
}

std::string ReceivedRequest::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpServer::HttpServer() : started_(std::chrono::steady_clock::now()) {
  listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int yes = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listen_fd_, 128) != 0) {
    throw std::runtime_error("test HTTP server: cannot listen on 127.0.0.1");
  }
  socklen_t length = sizeof address;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

HttpServer::~HttpServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (int fd : connections_) ::shutdown(fd, SHUT_RDWR);
  }
  acceptor_.join();
  ::close(listen_fd_);
  // No new threads once the acceptor has stopped.
  for (auto& thread : threads_) thread.join();
}

std::string HttpServer::url(const std::string& path_and_query) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path_and_query;
}

void HttpServer::route(const std::string& path, Handler handler) {
  std::lock_guard lock(mutex_);
  routes_[path] = std::move(handler);
}

void HttpServer::route(const std::string& path, HttpReply reply) {
  route(path, [reply](const ReceivedRequest&) { return reply; });
}

std::vector<ReceivedRequest> HttpServer::requests() const {
  std::lock_guard lock(mutex_);
  return received_;
}

std::vector<ReceivedRequest> HttpServer::requests(const std::string& path) const {
  std::vector<ReceivedRequest> out;
  for (auto& request : requests()) {
    if (request.path == path) out.push_back(request);
  }
  return out;
}

void HttpServer::accept_loop() {
  while (true) {
    pollfd waiting{listen_fd_, POLLIN, 0};
    int ready = ::poll(&waiting, 1, 50);
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    if (ready <= 0) continue;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    connections_.push_back(fd);
    threads_.emplace_back([this, fd] { serve(fd); });
  }
}

HttpReply HttpServer::answer(const ReceivedRequest& request) {
  Handler handler;
  {
    std::lock_guard lock(mutex_);
    received_.push_back(request);
    auto it = routes_.find(request.path);
    if (it != routes_.end()) handler = it->second;
  }
  if (!handler) return HttpReply::json(R"({"error":"not found"})", 404);
  return handler(request);
}

// Reads from `fd` into `buffer` until `enough(buffer)`; false when the peer
// closed first.
template <typename Enough>
bool receive_until(int fd, std::string& buffer, Enough enough) {
  char chunk[16384];
  while (!enough(buffer)) {
    ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(got));
  }
  return true;
}

void HttpServer::serve(int fd) {
  std::string buffer;
  bool open = true, aborted = false;
  std::size_t served = 0;  // requests on this connection so far
  while (open) {
    if (!receive_until(fd, buffer, [](const std::string& b) {
          return b.find("\r\n\r\n") != std::string::npos;
        }))
      break;
    std::size_t head_end = buffer.find("\r\n\r\n");
    ReceivedRequest request;
    request.at_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    request.on_reused_connection = served++ > 0;
    std::string head = buffer.substr(0, head_end);
    buffer.erase(0, head_end + 4);
    std::size_t line_end = head.find("\r\n");
    std::string request_line = head.substr(0, line_end);
    std::size_t space1 = request_line.find(' ');
    std::size_t space2 = request_line.find(' ', space1 + 1);
    request.method = request_line.substr(0, space1);
    request.target = request_line.substr(space1 + 1, space2 - space1 - 1);
    std::string target = request.target;
    if (target.rfind("http://", 0) == 0) {
      std::size_t slash = target.find('/', 7);
      target = slash == std::string::npos ? "/" : target.substr(slash);
    }
    std::size_t question = target.find('?');
    request.path = target.substr(0, question);
    if (question != std::string::npos) request.query = target.substr(question + 1);
    std::size_t at = line_end == std::string::npos ? head.size() : line_end + 2;
    while (at < head.size()) {
      std::size_t end = head.find("\r\n", at);
      if (end == std::string::npos) end = head.size();
      std::string line = head.substr(at, end - at);
      std::size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::size_t value = line.find_first_not_of(' ', colon + 1);
        request.headers[lower(line.substr(0, colon))] =
            value == std::string::npos ? "" : line.substr(value);
      }
      at = end + 2;
    }
    std::size_t length = 0;
    if (auto it = request.headers.find("content-length"); it != request.headers.end()) {
      length = std::stoul(it->second);
    }
    if (!receive_until(fd, buffer, [length](const std::string& b) { return b.size() >= length; }))
      break;
    request.body = buffer.substr(0, length);
    buffer.erase(0, length);

    HttpReply reply = answer(request);
    if (reply.delay.count() > 0) std::this_thread::sleep_for(reply.delay);
    if (reply.reset) {
      // A zero linger turns close() into a TCP RST: "connection reset by peer".
      linger abort{1, 0};
      ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, sizeof abort);
      aborted = true;
      break;
    }
    std::string body = reply.gzip ? gzip(reply.body) : reply.body;
    std::string response =
        "HTTP/1.1 " + std::to_string(reply.status) + " " + reason(reply.status) + "\r\n";
    for (const auto& [name, value] : reply.headers) response += name + ": " + value + "\r\n";
    if (reply.gzip) response += "Content-Encoding: gzip\r\n";
    bool truncated = reply.truncate_after < body.size();
    if (reply.status != 304) response += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    response += truncated ? "Connection: close\r\n\r\n" : "\r\n";
    if (reply.status != 304 && request.method != "HEAD") {
      response += truncated ? body.substr(0, reply.truncate_after) : body;
    }
    if (!send_all(fd, response) || truncated) open = false;
  }
  std::lock_guard lock(mutex_);
  if (!aborted) ::shutdown(fd, SHUT_RDWR);
  ::close(fd);
  connections_.erase(std::remove(connections_.begin(), connections_.end(), fd), connections_.end());
}

}  // namespace haul::testing
