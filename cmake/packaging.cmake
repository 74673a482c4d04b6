# Install layout and the Debian package (`cpack -G DEB` in a build tree).
# `cmake --install` puts the binary in bin, the man page in share/man/man1, the bash and zsh
# completions where bash-completion and Debian's zsh look for them, and LICENSE as
# share/doc/kubeblame/copyright (the name Debian policy gives it).
include(GNUInstallDirs)

# The completions come from the built binary, like the man page, so they follow the CLI definition.
set(KUBEBLAME_BASH_COMPLETION ${CMAKE_CURRENT_BINARY_DIR}/completions/kubeblame)
set(KUBEBLAME_ZSH_COMPLETION ${CMAKE_CURRENT_BINARY_DIR}/completions/_kubeblame)
add_custom_command(OUTPUT ${KUBEBLAME_BASH_COMPLETION} ${KUBEBLAME_ZSH_COMPLETION}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_CURRENT_BINARY_DIR}/completions
  COMMAND kubeblame completion bash > ${KUBEBLAME_BASH_COMPLETION}
  COMMAND kubeblame completion zsh > ${KUBEBLAME_ZSH_COMPLETION}
  DEPENDS kubeblame
  COMMENT "Generating the bash and zsh completions"
  VERBATIM)
# Debian policy wants man pages compressed with gzip -9 (-n: no name or time, reproducible).
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/kubeblame.1.gz
  COMMAND gzip -9 -n -c ${CMAKE_CURRENT_BINARY_DIR}/kubeblame.1 > ${CMAKE_CURRENT_BINARY_DIR}/kubeblame.1.gz
  DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/kubeblame.1
  COMMENT "Compressing the kubeblame.1 man page"
  VERBATIM)
add_custom_target(kubeblame_install_files ALL
  DEPENDS ${KUBEBLAME_BASH_COMPLETION} ${KUBEBLAME_ZSH_COMPLETION} ${CMAKE_CURRENT_BINARY_DIR}/kubeblame.1.gz)

install(FILES ${CMAKE_CURRENT_BINARY_DIR}/kubeblame.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${KUBEBLAME_BASH_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
install(FILES ${KUBEBLAME_ZSH_COMPLETION} DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)

# The .deb. Depends is computed by dpkg-shlibdeps (dpkg-dev) from the binary's shared libraries,
# so it names the Debian runtime packages the build linked (libsimdjson14, libfmt9, ...).
set(KUBEBLAME_DEB_MAINTAINER "kubeblame maintainers <maintainers@users.noreply.r-seed-792a993d.example>"
  CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kubeblame)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "analyzer for Kubernetes API-server audit logs")
set(CPACK_PACKAGE_DESCRIPTION
  "Reads exported Kubernetes API-server audit logs (raw audit.log files, AKS Log Analytics
exports, Azure diagnostic archives, plain, gzip or zstd) and ranks who is loading the API
server, with what, and which requests fail: top, errors, fights, timeline and report, as
tables, markdown, JSON, CSV or HTML.")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${KUBEBLAME_DEB_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
