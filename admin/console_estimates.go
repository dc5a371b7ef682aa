package admin

// estimateViews are the templates of this area of the console.
var estimateViews = []string{}

// estimatePages are this area's pages of the console.
func (s *Server) estimatePages() []route {
	return nil
}
