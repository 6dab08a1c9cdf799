# `cmake --install build --prefix P`: the library (shared with a SOVERSION, and static), the
# public headers (include/aekit/), the aekit program, a CMake package (find_package(aekit) ->
# aekit::aekit, or aekit::aekit_static), a pkg-config file; and `cpack -G DEB` for a Debian package.
include(CMakePackageConfigHelpers)

install(TARGETS aekit_shared aekit_core EXPORT aekitTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR} ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS aekit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Only the facade and the version: the internals (src/) stay out of the installed headers.
install(FILES include/aekit/aekit.h ${CMAKE_BINARY_DIR}/include/aekit/version.h
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/aekit)

set(AEKIT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/aekit)
install(EXPORT aekitTargets NAMESPACE aekit:: DESTINATION ${AEKIT_CMAKE_DIR})
configure_package_config_file(cmake/aekitConfig.cmake.in ${CMAKE_BINARY_DIR}/aekitConfig.cmake
  INSTALL_DESTINATION ${AEKIT_CMAKE_DIR})
# 0.x: minor versions may break the API, so a request for 0.1 accepts 0.1.* only.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/aekitConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/aekitConfig.cmake ${CMAKE_BINARY_DIR}/aekitConfigVersion.cmake
  DESTINATION ${AEKIT_CMAKE_DIR})

# The prefix is found relative to the .pc file, so `cmake --install --prefix P` works anywhere.
file(RELATIVE_PATH AEKIT_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
configure_file(cmake/aekit.pc.in ${CMAKE_BINARY_DIR}/aekit.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/aekit.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Debian package: aekit_<version>_amd64.deb. Runtime dependencies are Debian 12's package names
# of the shared libraries libaekit.so and the aekit program link (checked with dpkg -S).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME aekit)
set(CPACK_PACKAGE_VENDOR "aekit")
set(CPACK_PACKAGE_CONTACT "aekit maintainers <aekit@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Autoencoders in C++: library, headers, CMake package and the aekit program")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # aekit_<version>_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# The libraries build/aekit links directly (ldd, mapped with dpkg -S); their own dependencies
# come with them.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
  "libdnnl2, libgomp1, libpng16-16, libjpeg62-turbo, libisal2, zlib1g, libminizip1, liblapack3 | liblapack.so.3, libonnx1, libprotobuf32, libcairo2, libpango-1.0-0, libpangocairo-1.0-0, libcpp-httplib0.11, libopenmpi3, libstdc++6, libc6, libgcc-s1")
include(CPack)
