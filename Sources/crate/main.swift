print("crate")
