// SelfSignedCertificate: a throwaway certificate and key for 127.0.0.1 in a temporary directory,
// for TLS servers in tests. Header-only; the user links OpenSSL's libcrypto.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace agent::test {

class SelfSignedCertificate {
 public:
  SelfSignedCertificate() {
    static int made = 0;
    dir_ = std::filesystem::temp_directory_path() /
           ("agent-tls-" + std::to_string(::getpid()) + "-" + std::to_string(made++));
    std::filesystem::create_directories(dir_);
    EVP_PKEY* key = EVP_EC_gen("P-256");
    X509* cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), -60);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_sign(cert, key, EVP_sha256());
    FILE* keyFile = std::fopen(keyPath().c_str(), "w");
    PEM_write_PrivateKey(keyFile, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(keyFile);
    FILE* certFile = std::fopen(certPath().c_str(), "w");
    PEM_write_X509(certFile, cert);
    std::fclose(certFile);
    X509_free(cert);
    EVP_PKEY_free(key);
  }
  ~SelfSignedCertificate() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  SelfSignedCertificate(const SelfSignedCertificate&) = delete;
  SelfSignedCertificate& operator=(const SelfSignedCertificate&) = delete;

  std::string keyPath() const { return (dir_ / "key.pem").string(); }
  std::string certPath() const { return (dir_ / "cert.pem").string(); }

 private:
  std::filesystem::path dir_;
};

}  // namespace agent::test
