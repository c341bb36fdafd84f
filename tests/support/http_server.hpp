#pragma once
// A real HTTP/1.1 server on 127.0.0.1 (an ephemeral port) for tests, run in
// the test's process so a test can script every answer and read back what
// arrived, with timestamps. One thread per connection, keep-alive, request
// bodies by Content-Length. Routes match the path without the query; an
// unrouted path is 404. A request in absolute form ("GET http://h/p") is
// served the same way, so the server can also stand in for an HTTP proxy.
//
// A reply can be delayed, gzip-compressed, cut short after some bytes (the
// Content-Length announces the whole body, then the connection closes), or
// carry any headers (Retry-After, ETag, Location, ...), or be no answer at
// all: the connection reset (RST) after the delay.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace haul::testing {

struct HttpReply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};
  bool gzip = false;
  std::size_t truncate_after = std::string::npos;  // body bytes sent before closing
  bool reset = false;  // after the delay, answer nothing and reset the connection

  static HttpReply json(std::string body, int status = 200);
};

struct ReceivedRequest {
  std::string method;
  std::string target;  // as sent: "/p?q=1", or absolute through a proxy
  std::string path;
  std::string query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  double at_s = 0;  // seconds since the server started
  // Not the connection's first request. libcurl sends a request again, on
  // another connection, when a reused one dies before any answer: only a
  // request on a reused connection can be followed by such a re-send.
  bool on_reused_connection = false;

  std::string header(const std::string& lower_name) const;
};

class HttpServer {
 public:
  using Handler = std::function<HttpReply(const ReceivedRequest&)>;

  HttpServer();
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path_and_query = "") const;

  void route(const std::string& path, Handler handler);
  void route(const std::string& path, HttpReply reply);  // the same reply every time

  std::vector<ReceivedRequest> requests() const;
  std::vector<ReceivedRequest> requests(const std::string& path) const;
  std::size_t count(const std::string& path) const { return requests(path).size(); }

 private:
  void accept_loop();
  void serve(int fd);
  HttpReply answer(const ReceivedRequest& request);

  int listen_fd_ = -1;
  int port_ = 0;
  std::chrono::steady_clock::time_point started_;
  mutable std::mutex mutex_;
  std::map<std::string, Handler> routes_;
  std::vector<ReceivedRequest> received_;
  std::vector<int> connections_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
  bool stopping_ = false;
};

}  // namespace haul::testing
