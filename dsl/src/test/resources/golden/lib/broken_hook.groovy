{ out, labels ->
    out.mean() }
}
